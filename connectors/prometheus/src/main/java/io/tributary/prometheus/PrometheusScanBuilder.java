package io.tributary.prometheus;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/** Collects pushdown (filters, required columns) and builds the read plan. */
final class PrometheusScanBuilder implements ScanBuilder, SupportsPushDownFilters, SupportsPushDownRequiredColumns {
    private final PrometheusSourceOptions options;
    private final TimeGrid grid;
    private final PrometheusFilterPushdown pushdown;
    private StructType readSchema;

    PrometheusScanBuilder(PrometheusSourceOptions options, StructType schema) {
        this.options = options;
        // mode=raw has no step: a 1 ms grid lets timestamp pushdown narrow the range to whole milliseconds.
        this.grid = new TimeGrid(
                options.start().toEpochMilli(),
                options.end().toEpochMilli(),
                options.mode() == ReadMode.RAW ? 1 : options.step().toMillis());
        this.pushdown = new PrometheusFilterPushdown(options, grid);
        this.readSchema = schema;
    }

    /** Every filter stays with Spark as well: pushdown only narrows what is read. */
    @Override
    public Filter[] pushFilters(Filter[] filters) {
        pushdown.push(filters);
        return filters;
    }

    @Override
    public Filter[] pushedFilters() {
        return pushdown.pushed().toArray(new Filter[0]);
    }

    @Override
    public void pruneColumns(StructType requiredSchema) {
        readSchema = requiredSchema;
    }

    @Override
    public Scan build() {
        if (options.mode() == ReadMode.RAW) {
            return buildRemoteRead();
        }
        List<String> metricColumns = options.layout() == Layout.WIDE
                ? options.metrics().stream().map(MetricSelector::name).collect(Collectors.toList())
                : List.of();
        RangeReadPlan plan = new RangeReadPlan(
                options.connection(),
                options.layout(),
                grid,
                pushdown.firstIndex(),
                pushdown.endIndex(),
                pushdown.queries(),
                metricColumns,
                options.labelColumns(),
                readSchema,
                options.maxSamplesPerRequest(),
                options.answers());
        long pointsPerSlice = RangePartitionPlanner.pointsPerSlice(
                options.partitionDuration(),
                plan,
                SparkSession.active().sparkContext().defaultParallelism());
        return new RangeScan(plan, pointsPerSlice, pushdown.pushed(), options);
    }

    private Scan buildRemoteRead() {
        RawReadPlan plan = new RawReadPlan(
                options.connection(),
                pushdown.remoteQueries(),
                options.labelColumns(),
                readSchema,
                options.maxSamplesPerRequest());
        long first = grid.timestampMillis(pushdown.firstIndex());
        long last = grid.timestampMillis(pushdown.endIndex() - 1);
        long requestMillis = options.partitionDuration() != null
                ? Math.max(1, options.partitionDuration().toMillis())
                : RawPartitionPlanner.autoRequestMillis(
                        first,
                        last,
                        options.maxConcurrentReads(),
                        SparkSession.active().sparkContext().defaultParallelism());
        return new RawScan(plan, first, last, requestMillis, options.maxConcurrentReads(), pushdown.pushed());
    }
}
