package io.tributary.prometheus;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Joins the metrics of one time slice into layout=wide rows: one row per (label set without {@code __name__},
 * grid timestamp) where at least one metric has a point, one DOUBLE column per metric, null where that metric
 * has no point. All answers lie on the same grid, so the join is by grid index: no sort, no shuffle.
 */
final class WideLayoutRows {
  private final RowColumns columns;
  private final TimeGrid grid;
  private final long firstIndex;
  private final int points;
  private final int metricCount;
  private final Map<Map<String, String>, SeriesGroup> groupsByLabels = new HashMap<>();
  private final List<SeriesGroup> groups = new ArrayList<>();
  private final InternalRow row;
  private int groupIndex = -1;
  private int pointIndex = -1;

  /** The points of every metric for one label set. */
  private static final class SeriesGroup {
    final Map<String, String> labels;
    final double[][] values;
    final BitSet[] present;
    final BitSet anyPresent = new BitSet();

    SeriesGroup(Map<String, String> labels, int metricCount, int points) {
      this.labels = labels;
      this.values = new double[metricCount][];
      this.present = new BitSet[metricCount];
      for (int metric = 0; metric < metricCount; metric++) {
        values[metric] = new double[points];
        present[metric] = new BitSet(points);
      }
    }
  }

  WideLayoutRows(RowColumns columns, TimeGrid grid, long firstIndex, long endIndex, int metricCount) {
    this.columns = columns;
    this.grid = grid;
    this.firstIndex = firstIndex;
    this.points = (int) (endIndex - firstIndex);
    this.metricCount = metricCount;
    this.row = columns.newRow();
  }

  void add(int metric, List<SeriesBlock> blocks) {
    for (SeriesBlock block : blocks) {
      Map<String, String> labels = new HashMap<>(block.labels());
      labels.remove(SeriesRowValues.NAME_LABEL);
      SeriesGroup group = groupsByLabels.computeIfAbsent(labels, key -> {
        SeriesGroup created = new SeriesGroup(block.labels(), metricCount, points);
        groups.add(created);
        return created;
      });
      for (int i = 0; i < block.size(); i++) {
        long index = grid.indexOf(block.timestampMillis(i));
        if (grid.timestampMillis(index) != block.timestampMillis(i) || index < firstIndex
            || index >= firstIndex + points) {
          throw new IllegalStateException("Prometheus answered a point at " + block.timestampMillis(i)
              + " ms, off the requested grid of this slice; is the server's clock or step handling different?");
        }
        int point = (int) (index - firstIndex);
        group.values[metric][point] = block.value(i);
        group.present[metric].set(point);
        group.anyPresent.set(point);
      }
    }
  }

  /** Moves to the next row; false when the slice has no more. */
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
        case METRIC_VALUE:
          int metric = columns.metricIndex(column);
          if (group.present[metric].get(pointIndex)) {
            row.setDouble(column, group.values[metric][pointIndex]);
          } else {
            row.setNullAt(column);
          }
          break;
        default:
          break;
      }
    }
    return true;
  }

  InternalRow row() {
    return row;
  }
}
