package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructType;

/** A planned Prometheus read: its slices become Spark partitions. */
final class RangeScan implements Scan, Batch {
  private final RangeReadPlan plan;
  private final long pointsPerSlice;
  private final List<Filter> pushedFilters;
  private final PrometheusSourceOptions options;

  RangeScan(RangeReadPlan plan, long pointsPerSlice, List<Filter> pushedFilters,
      PrometheusSourceOptions options) {
    this.plan = plan;
    this.pointsPerSlice = pointsPerSlice;
    this.pushedFilters = List.copyOf(pushedFilters);
    this.options = options;
  }

  @Override
  public StructType readSchema() {
    return plan.readSchema();
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  /** {@code spark.readStream()}: this scan's queries and columns, read window after window. */
  @Override
  public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
    return PrometheusMicroBatchStream.of(options, plan, SparkSession.active().sparkContext().defaultParallelism(),
        Clock.systemUTC());
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
    String range = plan.firstIndex() >= plan.endIndex() ? "empty"
        : "[" + Instant.ofEpochMilli(grid.timestampMillis(plan.firstIndex())) + ", "
            + Instant.ofEpochMilli(grid.timestampMillis(plan.endIndex() - 1)) + "]";
    return "PrometheusScan[url=" + plan.connection().displayUrl()
        + ", auth=" + plan.connection().authDescription()
        + ", layout=" + plan.layout().name().toLowerCase(Locale.ROOT)
        + ", queries=" + plan.queries()
        + ", range=" + range
        + ", step=" + PrometheusDuration.format(Duration.ofMillis(grid.stepMillis()))
        + ", points=" + Math.max(0, plan.endIndex() - plan.firstIndex())
        + ", pointsPerSlice=" + pointsPerSlice
        + ", pushedFilters=" + pushedFilters.stream().map(Filter::toString).collect(Collectors.joining(", ", "[", "]"))
        + ", columns=" + String.join(",", plan.readSchema().fieldNames()) + "]";
  }
}
