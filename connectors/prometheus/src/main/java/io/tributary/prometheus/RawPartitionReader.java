package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusAnswerException;
import io.tributary.prometheus.client.PrometheusClientMetrics;
import io.tributary.prometheus.client.PrometheusHttpClient;
import io.tributary.prometheus.client.PrometheusQueryException;
import io.tributary.prometheus.client.PrometheusReadCounters;
import io.tributary.prometheus.client.SeriesBlock;
import io.tributary.prometheus.remoteread.RawSeriesCollector;
import io.tributary.prometheus.remoteread.RemoteReadAnswer;
import io.tributary.prometheus.remoteread.RemoteReadRequestEncoder;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Reads one mode=raw partition: its requests one after the other, each decoded whole (then retried as a unit if
 * it fails), its series turned into layout=long rows. An answer beyond {@code maxSamplesPerRequest} samples is
 * abandoned and its time range halved, for this request and the partition's later ones, so that one answer
 * never holds more than that budget in memory.
 */
final class RawPartitionReader implements PartitionReader<InternalRow> {
    private final RawReadPlan plan;
    private final RawPartition slice;
    private final PrometheusReadCounters counters = new PrometheusReadCounters();
    private final PrometheusHttpClient client;
    private final LongLayoutRows rows;
    private long nextMillis;
    private long requestMillis;

    RawPartitionReader(RawReadPlan plan, RawPartition slice) {
        this.plan = plan;
        this.slice = slice;
        this.client = new PrometheusHttpClient(plan.connection(), counters);
        this.rows = new LongLayoutRows(RowColumns.of(plan.readSchema(), plan.labelColumns(), List.of()));
        this.nextMillis = slice.firstMillis();
        this.requestMillis = slice.requestMillis();
    }

    @Override
    public boolean next() {
        while (!rows.advance()) {
            if (nextMillis > slice.lastMillis()) {
                return false;
            }
            long from = nextMillis;
            long to = Math.min(slice.lastMillis(), from + requestMillis - 1);
            try {
                rows.reset(read(from, to));
            } catch (RawSeriesCollector.TooManySamplesException e) {
                if (to == from) {
                    throw new PrometheusQueryException(
                            200,
                            null,
                            e.getMessage() + " within one millisecond; raise "
                                    + PrometheusSourceOptions.MAX_SAMPLES_PER_REQUEST
                                    + " or narrow the metrics selectors",
                            describe(from, to));
                }
                // Halving the request length, not this request's clamped span, keeps requests on round boundaries.
                long span = to - from + 1;
                do {
                    requestMillis = Math.max(1, requestMillis / 2);
                } while (requestMillis >= span);
                continue;
            }
            nextMillis = to + 1;
        }
        return true;
    }

    private List<SeriesBlock> read(long from, long to) {
        byte[] request = RemoteReadRequestEncoder.encode(plan.queries(), from, to);
        String description = describe(from, to);
        try {
            return client.remoteRead(
                    request,
                    description,
                    (response, body) -> RemoteReadAnswer.decode(
                            response, body, from, to, plan.maxSamplesPerRequest(), counters, description));
        } catch (PrometheusAnswerException e) {
            throw e.forRequest(description);
        }
    }

    private String describe(long from, long to) {
        return "remote read " + plan.selectors() + " [" + Instant.ofEpochMilli(from) + ", " + Instant.ofEpochMilli(to)
                + "] at " + plan.connection().displayUrl();
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
