package io.tributary.prometheus;

import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Reads one mode=raw partition: its requests one after the other, each decoded whole (then retried as a unit if
 * it fails), its series turned into layout=long rows.
 */
final class RemoteReadPartitionReader implements PartitionReader<InternalRow> {
  private final RemoteReadPlan plan;
  private final RemoteReadSlice slice;
  private final PrometheusReadCounters counters = new PrometheusReadCounters();
  private final PrometheusHttpClient client;
  private final LongLayoutRows rows;
  private long nextMillis;

  RemoteReadPartitionReader(RemoteReadPlan plan, RemoteReadSlice slice) {
    this.plan = plan;
    this.slice = slice;
    this.client = new PrometheusHttpClient(plan.connection(), counters);
    this.rows = new LongLayoutRows(RowColumns.of(plan.readSchema(), plan.labelColumns(), List.of()));
    this.nextMillis = slice.firstMillis();
  }

  @Override
  public boolean next() {
    while (!rows.advance()) {
      if (nextMillis > slice.lastMillis()) {
        return false;
      }
      long from = nextMillis;
      long to = Math.min(slice.lastMillis(), from + slice.requestMillis() - 1);
      rows.reset(read(from, to));
      nextMillis = to + 1;
    }
    return true;
  }

  private List<SeriesBlock> read(long from, long to) {
    byte[] request = RemoteReadRequestEncoder.encode(plan.queries(), from, to);
    String description = "remote read " + plan.selectors() + " [" + Instant.ofEpochMilli(from) + ", "
        + Instant.ofEpochMilli(to) + "] at " + plan.connection().displayUrl();
    return client.remoteRead(request, description,
        (response, body) -> RemoteReadAnswer.decode(response, body, from, to, counters, description));
  }

  @Override
  public InternalRow get() {
    return rows.row();
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return PrometheusScanMetrics.remoteReadValues(counters);
  }

  @Override
  public void close() {
    // Every answer is consumed before its rows are handed out; what remains is to publish the counts.
    PrometheusClientMetrics.recordRead(counters);
  }
}
