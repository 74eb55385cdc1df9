package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusClientMetrics;
import io.tributary.prometheus.client.PrometheusHttpClient;
import io.tributary.prometheus.client.PrometheusReadCounters;
import io.tributary.prometheus.client.PrometheusUnavailableException;
import io.tributary.prometheus.client.SeriesBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;

/**
 * Reads one slice. layout=long streams request by request; layout=wide reads every metric of a window of the
 * slice, joins them, hands out the rows, then reads the next window, so that what it holds at once stays within
 * the samples budget per metric however many series match. Any failure that retries cannot mend fails the task: a
 * slice never yields part of its data.
 */
final class RangePartitionReader implements PartitionReader<InternalRow> {
    static final int MAX_CONCURRENT_METRIC_REQUESTS = 4;
    /**
     * Points of layout=wide's first window of a slice, before the answers show how many label sets it joins:
     * small enough to hold for thousands of series, large enough to be few requests where series are few.
     */
    static final long FIRST_WIDE_WINDOW_POINTS = 360;

    private final RangeReadPlan plan;
    private final RangeQuerySlice slice;
    private final PrometheusReadCounters counters = new PrometheusReadCounters();
    private final PrometheusHttpClient client;
    private final RowColumns columns;
    private final AnswerWarnings warnings;
    private LongLayoutRows longRows;
    private SliceFetcher longFetcher;
    private WideLayoutRows wideRows;
    /** The first grid index of the slice that layout=wide has not read yet. */
    private long wideNextIndex;

    private long wideWindowPoints;

    RangePartitionReader(RangeReadPlan plan, RangeQuerySlice slice) {
        this.plan = plan;
        this.slice = slice;
        this.client = new PrometheusHttpClient(plan.connection(), counters);
        this.columns = RowColumns.of(plan.readSchema(), plan.labelColumns(), plan.metricColumns());
        this.warnings = new AnswerWarnings(plan.answers().allowPartialResponse());
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
            wideNextIndex = slice.firstIndex();
            wideWindowPoints = FIRST_WIDE_WINDOW_POINTS;
        }
        while (wideRows == null || !wideRows.advance()) {
            if (wideNextIndex >= slice.endIndex()) {
                return false;
            }
            long windowEnd = Math.min(slice.endIndex(), wideNextIndex + wideWindowPoints);
            List<String> queries = plan.queries();
            wideRows = new WideLayoutRows(
                    columns,
                    plan.grid(),
                    wideNextIndex,
                    windowEnd,
                    plan.metricColumns(),
                    plan.answers().histogramMetrics());
            List<List<SeriesBlock>> answers = fetchConcurrently(queries, wideNextIndex, windowEnd);
            for (int metric = 0; metric < queries.size(); metric++) {
                wideRows.add(metric, answers.get(metric));
            }
            wideNextIndex = windowEnd;
            wideWindowPoints = wideWindowPoints(wideRows.labelSets(), plan.maxSamplesPerRequest());
        }
        return true;
    }

    /**
     * Points of the next layout=wide window once a window has shown how many label sets the metrics have: label
     * sets × points within {@code maxSamplesPerRequest} (so each metric's answer is one request of the budget, and
     * the join holds about metrics × budget samples), at most Prometheus' 11,000 points a series, at least one.
     */
    static long wideWindowPoints(int labelSets, long maxSamplesPerRequest) {
        return Math.max(
                1,
                Math.min(PrometheusSourceOptions.MAX_POINTS_PER_SERIES, maxSamplesPerRequest / Math.max(1, labelSets)));
    }

    /**
     * The wide join needs every metric of the window, and a read waits mostly on the server: asking for the
     * metrics at once (at most {@link #MAX_CONCURRENT_METRIC_REQUESTS}) overlaps the server's work on each.
     * Each fetch counts into its own counters, merged after, since counters are not thread-safe.
     */
    private List<List<SeriesBlock>> fetchConcurrently(List<String> queries, long firstIndex, long endIndex) {
        int threads = Math.min(queries.size(), MAX_CONCURRENT_METRIC_REQUESTS);
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "tributary-prometheus-wide-fetch");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<SeriesBlock>>> futures = new ArrayList<>();
            List<PrometheusReadCounters> fetchCounters = new ArrayList<>();
            for (String query : queries) {
                PrometheusReadCounters own = new PrometheusReadCounters();
                fetchCounters.add(own);
                futures.add(pool.submit(() -> new SliceFetcher(
                                new PrometheusHttpClient(plan.connection(), own),
                                plan,
                                own,
                                warnings,
                                query,
                                firstIndex,
                                endIndex)
                        .fetchRemaining()));
            }
            List<List<SeriesBlock>> answers = new ArrayList<>();
            for (Future<List<SeriesBlock>> future : futures) {
                answers.add(await(future));
            }
            fetchCounters.forEach(counters::add);
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<SeriesBlock> await(Future<List<SeriesBlock>> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusUnavailableException("Interrupted while reading a slice", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private SliceFetcher fetcher(String query) {
        return new SliceFetcher(client, plan, counters, warnings, query, slice.firstIndex(), slice.endIndex());
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
        // The HTTP client is shared per executor (HttpClientCache) and every response is consumed before a row is
        // handed out, so nothing is left open; what remains is to publish the counts.
        PrometheusClientMetrics.recordRead(counters);
    }
}
