package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.sources.Filter;

/** A planned Prometheus read: its slices become Spark partitions. */
final class RangeScan extends PrometheusBatchScan {
    private final RangeReadPlan plan;
    private final long pointsPerSlice;
    private final PrometheusSourceOptions options;

    RangeScan(RangeReadPlan plan, long pointsPerSlice, List<Filter> pushedFilters, PrometheusSourceOptions options) {
        super(plan.readSchema(), plan.connection(), pushedFilters);
        this.plan = plan;
        this.pointsPerSlice = pointsPerSlice;
        this.options = options;
    }

    /** {@code spark.readStream()}: this scan's queries and columns, read window after window. */
    @Override
    public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
        return PrometheusMicroBatchStream.of(
                options, plan, SparkSession.active().sparkContext().defaultParallelism(), Clock.systemUTC());
    }

    @Override
    public InputPartition[] planInputPartitions() {
        return RangePartition.of(RangePartitionPlanner.plan(plan, pointsPerSlice));
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new RangePartitionReaderFactory(plan);
    }

    @Override
    public CustomMetric[] supportedCustomMetrics() {
        return PrometheusScanMetrics.supported();
    }

    /** What EXPLAIN and the Spark UI show: what is read and what was pushed down; never credentials. */
    @Override
    public String description() {
        TimeGrid grid = plan.grid();
        String range = plan.firstIndex() >= plan.endIndex()
                ? "empty"
                : "[" + Instant.ofEpochMilli(grid.timestampMillis(plan.firstIndex())) + ", "
                        + Instant.ofEpochMilli(grid.timestampMillis(plan.endIndex() - 1)) + "]";
        return describe(
                "",
                ", layout=" + plan.layout().name().toLowerCase(Locale.ROOT)
                        + ", queries=" + plan.queries()
                        + ", range=" + range
                        + ", step=" + PrometheusDuration.format(Duration.ofMillis(grid.stepMillis()))
                        + ", points=" + Math.max(0, plan.endIndex() - plan.firstIndex())
                        + ", pointsPerSlice=" + pointsPerSlice);
    }
}
