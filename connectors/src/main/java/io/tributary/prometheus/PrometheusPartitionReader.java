package io.tributary.prometheus;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Reads one slice. layout=long streams request by request; layout=wide reads every metric of the slice first,
 * then joins them. Any failure that retries cannot mend fails the task: a slice never yields part of its data.
 */
final class PrometheusPartitionReader implements PartitionReader<InternalRow> {
  private final PrometheusReadPlan plan;
  private final RangeQuerySlice slice;
  private final PrometheusReadCounters counters = new PrometheusReadCounters();
  private final PrometheusHttpClient client;
  private final RowColumns columns;
  private LongLayoutRows longRows;
  private SliceFetcher longFetcher;
  private WideLayoutRows wideRows;

  PrometheusPartitionReader(PrometheusReadPlan plan, RangeQuerySlice slice) {
    this.plan = plan;
    this.slice = slice;
    this.client = new PrometheusHttpClient(plan.connection(), counters);
    this.columns = RowColumns.of(plan.readSchema(), plan.labelColumns(), plan.metricColumns());
  }

  @Override
  public boolean next() {
    return plan.layout() == Layout.LONG ? nextLong() : nextWide();
  }

  private boolean nextLong() {
    if (longRows == null) {
      longRows = new LongLayoutRows(columns);
      longFetcher = fetcher(plan.queries().get(slice.queryIndex()));
    }
    while (!longRows.advance()) {
      List<SeriesBlock> blocks = longFetcher.nextBlocks();
      if (blocks == null) {
        return false;
      }
      longRows.reset(blocks);
    }
    return true;
  }

  private boolean nextWide() {
    if (wideRows == null) {
      wideRows = new WideLayoutRows(columns, plan.grid(), slice.firstIndex(), slice.endIndex(),
          plan.queries().size());
      for (int metric = 0; metric < plan.queries().size(); metric++) {
        wideRows.add(metric, fetcher(plan.queries().get(metric)).fetchRemaining());
      }
    }
    return wideRows.advance();
  }

  private SliceFetcher fetcher(String query) {
    return new SliceFetcher(client, plan, counters, query, slice.firstIndex(), slice.endIndex());
  }

  @Override
  public InternalRow get() {
    return plan.layout() == Layout.LONG ? longRows.row() : wideRows.row();
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return PrometheusScanMetrics.values(counters);
  }

  @Override
  public void close() {
    // The HTTP client is shared per executor (HttpClientCache); responses are read whole, so nothing is open.
  }
}
