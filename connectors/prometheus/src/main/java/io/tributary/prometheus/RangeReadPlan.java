package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusConnection;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * What a scan reads, after pushdown: the queries to send (selectors with pushed matchers, or the PromQL
 * expression), the grid and the index range left after timestamp filters, and the columns to produce. Built on
 * the driver, shipped to the executors; holds no I/O.
 */
final class RangeReadPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final PrometheusConnection connection;
    private final Layout layout;
    private final TimeGrid grid;
    private final long firstIndex;
    private final long endIndex;
    private final List<String> queries;
    private final List<String> metricColumns;
    private final List<String> labelColumns;
    private final StructType readSchema;
    private final long maxSamplesPerRequest;
    private final PrometheusAnswerOptions answers;

    RangeReadPlan(
            PrometheusConnection connection,
            Layout layout,
            TimeGrid grid,
            long firstIndex,
            long endIndex,
            List<String> queries,
            List<String> metricColumns,
            List<String> labelColumns,
            StructType readSchema,
            long maxSamplesPerRequest,
            PrometheusAnswerOptions answers) {
        this.connection = connection;
        this.layout = layout;
        this.grid = grid;
        this.firstIndex = firstIndex;
        this.endIndex = endIndex;
        this.queries = List.copyOf(queries);
        this.metricColumns = List.copyOf(metricColumns);
        this.labelColumns = List.copyOf(labelColumns);
        this.readSchema = readSchema;
        this.maxSamplesPerRequest = maxSamplesPerRequest;
        this.answers = answers;
    }

    PrometheusConnection connection() {
        return connection;
    }

    Layout layout() {
        return layout;
    }

    TimeGrid grid() {
        return grid;
    }
    /** First grid index left to read after timestamp pushdown. */
    long firstIndex() {
        return firstIndex;
    }
    /** One past the last grid index left to read; equal to {@link #firstIndex()} when nothing is left. */
    long endIndex() {
        return endIndex;
    }
    /** The PromQL text of each query, in the order of {@link #metricColumns()} for layout=wide. */
    List<String> queries() {
        return queries;
    }
    /** layout=wide: the column of each query (DOUBLE, or a histogram struct for {@code histogramMetrics}). */
    List<String> metricColumns() {
        return metricColumns;
    }

    List<String> labelColumns() {
        return labelColumns;
    }

    StructType readSchema() {
        return readSchema;
    }

    long maxSamplesPerRequest() {
        return maxSamplesPerRequest;
    }
    /** What answers the read accepts: histogram columns of layout=wide, partial answers. */
    PrometheusAnswerOptions answers() {
        return answers;
    }

    /** The same read over other grid indices: a stream reads each batch's window with its scan's plan. */
    RangeReadPlan withRange(TimeGrid otherGrid, long otherFirstIndex, long otherEndIndex) {
        return new RangeReadPlan(
                connection,
                layout,
                otherGrid,
                otherFirstIndex,
                otherEndIndex,
                queries,
                metricColumns,
                labelColumns,
                readSchema,
                maxSamplesPerRequest,
                answers);
    }
}
