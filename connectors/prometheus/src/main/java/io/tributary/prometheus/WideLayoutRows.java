package io.tributary.prometheus;

import io.tributary.prometheus.client.NativeHistogram;
import io.tributary.prometheus.client.SeriesBlock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Joins the metrics of one time window into layout=wide rows: one row per (label set without {@code __name__},
 * grid timestamp) where at least one metric has a point, one column per metric, null where that metric has no
 * point. A metric's column is DOUBLE, or a histogram struct for the metrics of {@code histogramMetrics}; a point
 * of the other kind fails the read, since it has no place in the row. All answers lie on the same grid, so the
 * join is by grid index: no sort, no shuffle.
 */
final class WideLayoutRows {
    private final RowColumns columns;
    private final TimeGrid grid;
    private final long firstIndex;
    private final int points;
    private final List<String> metricNames;
    private final boolean[] histogramMetric;
    private final Map<Map<String, String>, SeriesGroup> groupsByLabels = new HashMap<>();
    private final List<SeriesGroup> groups = new ArrayList<>();
    private final InternalRow row;
    private int groupIndex = -1;
    private int pointIndex = -1;

    /** The points of every metric for one label set. */
    private static final class SeriesGroup {
        final Map<String, String> labels;
        final double[][] values;
        final NativeHistogram[][] histograms;
        final BitSet[] present;
        final BitSet anyPresent = new BitSet();

        SeriesGroup(Map<String, String> labels, boolean[] histogramMetric, int points) {
            int metricCount = histogramMetric.length;
            this.labels = labels;
            this.values = new double[metricCount][];
            this.histograms = new NativeHistogram[metricCount][];
            this.present = new BitSet[metricCount];
            for (int metric = 0; metric < metricCount; metric++) {
                if (histogramMetric[metric]) {
                    histograms[metric] = new NativeHistogram[points];
                } else {
                    values[metric] = new double[points];
                }
                present[metric] = new BitSet(points);
            }
        }
    }

    /**
     * @param metricNames the metric of each query, by query index (for messages)
     * @param histogramMetrics the metrics whose columns hold histograms ({@code histogramMetrics})
     */
    WideLayoutRows(
            RowColumns columns,
            TimeGrid grid,
            long firstIndex,
            long endIndex,
            List<String> metricNames,
            Set<String> histogramMetrics) {
        this.columns = columns;
        this.grid = grid;
        this.firstIndex = firstIndex;
        this.points = (int) (endIndex - firstIndex);
        this.metricNames = metricNames;
        this.histogramMetric = new boolean[metricNames.size()];
        for (int metric = 0; metric < metricNames.size(); metric++) {
            histogramMetric[metric] = histogramMetrics.contains(metricNames.get(metric));
        }
        this.row = columns.newRow();
    }

    void add(int metric, List<SeriesBlock> blocks) {
        for (SeriesBlock block : blocks) {
            Map<String, String> labels = new HashMap<>(block.labels());
            labels.remove(SeriesRowValues.NAME_LABEL);
            SeriesGroup group = groupsByLabels.computeIfAbsent(labels, key -> {
                SeriesGroup created = new SeriesGroup(block.labels(), histogramMetric, points);
                groups.add(created);
                return created;
            });
            for (int i = 0; i < block.size(); i++) {
                long index = grid.indexOf(block.timestampMillis(i));
                if (grid.timestampMillis(index) != block.timestampMillis(i)
                        || index < firstIndex
                        || index >= firstIndex + points) {
                    throw new IllegalStateException(
                            "Prometheus answered a point at " + block.timestampMillis(i)
                                    + " ms, off the requested grid of this window; is the server's clock or step handling different?");
                }
                int point = (int) (index - firstIndex);
                NativeHistogram histogram = block.histogram(i);
                if ((histogram != null) != histogramMetric[metric]) {
                    throw kindMismatch(metric, block, i);
                }
                if (histogram != null) {
                    group.histograms[metric][point] = histogram;
                } else {
                    group.values[metric][point] = block.value(i);
                }
                group.present[metric].set(point);
                group.anyPresent.set(point);
            }
        }
    }

    private IllegalArgumentException kindMismatch(int metric, SeriesBlock block, int i) {
        String name = metricNames.get(metric);
        String where = "series " + block.labels() + " at " + Instant.ofEpochMilli(block.timestampMillis(i));
        if (histogramMetric[metric]) {
            return new IllegalArgumentException("Metric '" + name + "' is listed in option '"
                    + PrometheusAnswerOptions.HISTOGRAM_METRICS
                    + "', so its layout=wide column holds native histograms, but"
                    + " Prometheus answered a float sample for " + where + "; remove it from option '"
                    + PrometheusAnswerOptions.HISTOGRAM_METRICS
                    + "', or read it with layout=long, whose rows hold either");
        }
        return new IllegalArgumentException("Metric '" + name + "' answered a native histogram for " + where
                + ", but its layout=wide column is DOUBLE; list it in option '"
                + PrometheusAnswerOptions.HISTOGRAM_METRICS
                + "' (" + PrometheusAnswerOptions.HISTOGRAM_METRICS + "=" + name + ") to read it as a histogram column,"
                + " or read it with layout=long, whose 'histogram' column holds them");
    }

    /** Moves to the next row; false when the window has no more. */
    boolean advance() {
        SeriesGroup group = groupIndex >= 0 && groupIndex < groups.size() ? groups.get(groupIndex) : null;
        while (group == null || (pointIndex = group.anyPresent.nextSetBit(pointIndex + 1)) < 0) {
            if (++groupIndex >= groups.size()) {
                return false;
            }
            group = groups.get(groupIndex);
            pointIndex = -1;
            SeriesRowValues.of(group.labels, columns).writeInto(row, columns);
        }
        for (int column = 0; column < columns.size(); column++) {
            switch (columns.kind(column)) {
                case TIMESTAMP:
                    row.setLong(column, grid.timestampMillis(firstIndex + pointIndex) * 1000L);
                    break;
                case METRIC_VALUE: {
                    int metric = columns.metricIndex(column);
                    if (group.present[metric].get(pointIndex)) {
                        row.setDouble(column, group.values[metric][pointIndex]);
                    } else {
                        row.setNullAt(column);
                    }
                    break;
                }
                case METRIC_HISTOGRAM: {
                    int metric = columns.metricIndex(column);
                    if (group.present[metric].get(pointIndex)) {
                        row.update(column, HistogramValues.toRow(group.histograms[metric][pointIndex]));
                    } else {
                        row.setNullAt(column);
                    }
                    break;
                }
                default:
                    break;
            }
        }
        return true;
    }

    /** The label sets (series without {@code __name__}) the join has seen: the rows of one grid point. */
    int labelSets() {
        return groups.size();
    }

    InternalRow row() {
        return row;
    }
}
