package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusDuration;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.sources.Filter;

/** A planned mode=raw (remote read) scan: its slices become Spark partitions. */
final class RawScan extends PrometheusBatchScan {
    private final RawReadPlan plan;
    private final long firstMillis;
    private final long lastMillis;
    private final long requestMillis;
    private final int maxConcurrentReads;

    RawScan(
            RawReadPlan plan,
            long firstMillis,
            long lastMillis,
            long requestMillis,
            int maxConcurrentReads,
            List<Filter> pushedFilters) {
        super(plan.readSchema(), plan.connection(), pushedFilters);
        this.plan = plan;
        this.firstMillis = firstMillis;
        this.lastMillis = lastMillis;
        this.requestMillis = requestMillis;
        this.maxConcurrentReads = maxConcurrentReads;
    }

    @Override
    public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
        // Spark's own error here would not say which option is at fault.
        throw new IllegalArgumentException("Option '" + PrometheusSourceOptions.MODE + "'=raw reads by remote read in"
                + " batch jobs only; spark.readStream reads range queries: drop the option or set it to range");
    }

    private List<RawPartition> slices() {
        return plan.queries().isEmpty()
                ? List.of()
                : RawPartitionPlanner.plan(firstMillis, lastMillis, requestMillis, maxConcurrentReads);
    }

    @Override
    public InputPartition[] planInputPartitions() {
        return slices().toArray(new InputPartition[0]);
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new RawPartitionReaderFactory(plan);
    }

    @Override
    public CustomMetric[] supportedCustomMetrics() {
        return PrometheusScanMetrics.remoteReadSupported();
    }

    /** What EXPLAIN and the Spark UI show: mode, matchers sent, time range, pushdown; never credentials. */
    @Override
    public String description() {
        String range = firstMillis > lastMillis
                ? "empty"
                : "[" + Instant.ofEpochMilli(firstMillis) + ", " + Instant.ofEpochMilli(lastMillis)
                        + "] (both included)";
        return describe(
                "mode=raw, ",
                ", layout=long"
                        + ", remoteReadQueries=" + plan.selectors()
                        + ", range=" + range
                        + ", requestDuration=" + PrometheusDuration.format(Duration.ofMillis(requestMillis))
                        + ", partitions=" + slices().size() + " (maxConcurrentReads=" + maxConcurrentReads + ")");
    }
}
