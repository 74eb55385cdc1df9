package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tributary.testing.Await;
import io.tributary.testing.CauseMessages;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.prometheus.Fault;
import io.tributary.testing.prometheus.FaultInjectingProxy;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusJson;
import io.tributary.testing.prometheus.PrometheusServer;
import io.tributary.testing.prometheus.RecordedRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code mode=raw} (remote read) from the shaded jar against a real Prometheus: the rows must equal, timestamp and
 * value, the raw samples that {@code /api/v1/query} with a range selector returns for the same series and window,
 * and the generator's own samples (NaN, infinities, a gap, counter resets); staleness markers are checked on a
 * server that scrapes a target whose series vanishes and comes back.
 */
class PrometheusRawReadIntegrationTest {
    private static final Instant START = ReaderTestPrometheus.START;
    private static final NodeMemoryHistory HISTORY = ReaderTestPrometheus.HISTORY;
    /** The last sample's own instant: remote read includes both ends. */
    private static final Instant END = HISTORY.lastSampleTime();

    private static PrometheusServer prometheus;
    private static SparkSession spark;

    @BeforeAll
    static void startServer() {
        prometheus = ReaderTestPrometheus.server();
        spark = SparkTestSession.get();
    }

    private static DataFrameReader raw(String url, Instant start, Instant end) {
        return spark.read()
                .format("prometheus")
                .option("url", url)
                .option("mode", "raw")
                .option("start", start.toString())
                .option("end", end.toString())
                .option("partitionDuration", "1h")
                .option("retryInitialDelay", "50ms");
    }

    /** (metric, labels without __name__, timestamp) → value bits; NaN canonical, as Spark keeps one NaN. */
    private static Map<String, Long> rows(Dataset<Row> frame) {
        Map<String, Long> samples = new HashMap<>();
        for (Row row : frame.collectAsList()) {
            String key = key(
                    row.getString(0),
                    row.<String, String>getJavaMap(1),
                    row.getTimestamp(frame.schema().fieldIndex("timestamp"))
                            .toInstant()
                            .toEpochMilli());
            assertNull(
                    samples.put(
                            key,
                            Double.doubleToLongBits(row.getDouble(frame.schema().fieldIndex("value")))),
                    "duplicate sample " + key);
        }
        return samples;
    }

    private static String key(String metric, Map<String, String> labels, long millis) {
        return metric + new TreeMap<>(labels) + "@" + Instant.ofEpochMilli(millis);
    }

    /** What {@code selector[end - start]} at {@code end} returns: every raw sample in [start, end]. */
    private static Map<String, Long> rangeSelectorAnswer(String url, String selector, Instant start, Instant end)
            throws Exception {
        Map<String, Long> samples = new HashMap<>();
        for (PrometheusJson.SeriesPoints series :
                PrometheusJson.rangeSelector(url, selector, Duration.between(start, end), end)) {
            Map<String, String> labels = new TreeMap<>(series.labels());
            String metric = labels.remove("__name__");
            for (PrometheusJson.Point point : series.points()) {
                samples.put(
                        key(metric, labels, Math.round(point.seconds() * 1000)),
                        Double.doubleToLongBits(apiValue(point.value())));
            }
        }
        return samples;
    }

    private static double apiValue(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }

    /** The generator's samples of {@code metrics} in [from, to]. */
    private static Map<String, Long> generated(List<String> metrics, Instant from, Instant to) {
        Map<String, Long> samples = new HashMap<>();
        for (NodeMemoryHistory.Series series : HISTORY.series()) {
            if (!metrics.contains(series.metric())) {
                continue;
            }
            for (long i = 0; i < HISTORY.sampleCount(); i++) {
                Instant t = HISTORY.timestamp(i);
                if (HISTORY.hasSample(series, i) && !t.isBefore(from) && !t.isAfter(to)) {
                    samples.put(
                            key(series.metric(), series.labels(), t.toEpochMilli()),
                            Double.doubleToLongBits(HISTORY.value(series, i)));
                }
            }
        }
        return samples;
    }

    @Test
    void rawSamplesEqualTheRangeSelectorAnswerAndTheGenerator() throws Exception {
        List<String> metrics = HISTORY.metricNames();
        Dataset<Row> frame = raw(prometheus.url(), START, END)
                .option("metrics", String.join(",", metrics))
                .load();
        assertEquals(6, frame.rdd().getNumPartitions(), "one partition per hour of [00:00, 05:59:45]");
        Map<String, Long> read = rows(frame);

        Map<String, Long> server = new HashMap<>();
        for (String metric : metrics) {
            server.putAll(rangeSelectorAnswer(prometheus.url(), metric, START, END));
        }
        assertEquals(HISTORY.totalSampleCount(), server.size());
        assertEquals(server, read, "mode=raw equals /api/v1/query with a range selector");
        assertEquals(generated(metrics, START, END), read, "and the generator: NaN, infinities, the gap, resets");

        String restarts = NodeMemoryHistory.COUNTER_METRIC;
        long resets = read.keySet().stream()
                .filter(k -> k.startsWith(restarts))
                .filter(k -> read.get(k) == 0L)
                .count();
        assertEquals(HISTORY.sampleCount() / NodeMemoryHistory.COUNTER_RESET_EVERY, resets, "every reset to 0 is read");
        assertTrue(read.containsValue(Double.doubleToLongBits(Double.NaN)));
    }

    @Test
    void labelsAsJsonReadBackAsTheMap() {
        String metrics = String.join(",", HISTORY.metricNames());
        int rows = LabelsFormatRows.assertJsonReadsBackAsTheMap(
                raw(prometheus.url(), START, END).option("metrics", metrics).load(),
                raw(prometheus.url(), START, END)
                        .option("metrics", metrics)
                        .option("labelsFormat", "json")
                        .load());
        assertEquals(HISTORY.totalSampleCount(), rows);
    }

    @Test
    void sliceBoundsInsideChunksLoseAndDuplicateNothing() throws Exception {
        Instant from = START.plusMillis(7_500);
        Instant to = START.plus(Duration.ofHours(3)).plusMillis(1);
        String metrics = NodeMemoryHistory.GAP_METRIC + "," + NodeMemoryHistory.MEM_FREE;
        Dataset<Row> frame = raw(prometheus.url(), from, to)
                .option("metrics", metrics)
                .option("partitionDuration", "7m30s")
                .load();
        assertEquals(10, frame.rdd().getNumPartitions(), "24 requests, at most maxConcurrentReads=10 partitions");
        Map<String, Long> read = rows(frame);
        Map<String, Long> server =
                new HashMap<>(rangeSelectorAnswer(prometheus.url(), NodeMemoryHistory.GAP_METRIC, from, to));
        server.putAll(rangeSelectorAnswer(prometheus.url(), NodeMemoryHistory.MEM_FREE, from, to));
        assertEquals(server, read);
        assertEquals(generated(List.of(NodeMemoryHistory.GAP_METRIC, NodeMemoryHistory.MEM_FREE), from, to), read);
    }

    @Test
    void filtersBecomeMatchersAndTheRangeShowsInExplain() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            Dataset<Row> frame = raw(proxy.url(), START, END)
                    .option("metrics", NodeMemoryHistory.ACTIVE + "," + NodeMemoryHistory.CACHED)
                    .option("labelColumns", "instance,group")
                    .load()
                    .filter("instance IN ('node-01:9100', 'node-02:9100') AND metric = 'node_memory_Cached_bytes'"
                            + " AND timestamp >= '2023-01-01 02:10:00' AND timestamp < '2023-01-01 02:20:00'");
            String plan = frame.queryExecution().executedPlan().toString();
            assertTrue(plan.contains("mode=raw"), plan);
            assertTrue(
                    plan.contains(
                            "remoteReadQueries=[{__name__=\"node_memory_Cached_bytes\",instance=~\"node-01:9100|node-02:9100\"}]"),
                    plan);
            assertTrue(plan.contains("range=[2023-01-01T02:10:00Z, 2023-01-01T02:19:59.999Z] (both included)"), plan);

            List<Row> rows = frame.collectAsList();
            assertEquals(2 * 40, rows.size(), "2 instances x 40 samples in [02:10, 02:20)");
            for (Row row : rows) {
                int k = row.getString(2).equals("node-01:9100") ? 1 : 2;
                long i =
                        Duration.between(START, row.getTimestamp(4).toInstant()).dividedBy(HISTORY.interval());
                assertEquals(HISTORY.value(NodeMemoryHistory.CACHED, k, i), row.getDouble(5));
            }
            List<RecordedRequest> requests = proxy.requests("/api/v1/read");
            assertEquals(1, requests.size(), "one metric, one ten-minute request left after pushdown");
            assertEquals("POST", requests.get(0).method());
            assertEquals("snappy", requests.get(0).header("Content-Encoding"));
            assertEquals(0, proxy.requests("/api/v1/query").size());
        }
    }

    @Test
    void faultsAreRetriedWithoutHolesOrDuplicates() throws Exception {
        Map<String, Long> expected = rangeSelectorAnswer(prometheus.url(), NodeMemoryHistory.MEM_FREE, START, END);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(new Fault.Status(503, "text/plain", "down for a moment"), 2);
            proxy.enqueue(new Fault.TooManyRequests(1), 1);
            proxy.enqueue(new Fault.ResetMidBody(), 2);
            proxy.enqueue(new Fault.TruncatedBody(), 2);
            Dataset<Row> frame = raw(proxy.url(), START, END)
                    .option("metrics", NodeMemoryHistory.MEM_FREE)
                    .option("maxRetries", "10")
                    .load();
            assertEquals(expected, rows(frame));
            assertEquals(0, proxy.pendingFaults());
            assertEquals(7, proxy.faultsApplied());
            assertEquals(6 + 7, proxy.requestCount(), "6 requests, 7 of them retried once");
        }
    }

    @Test
    void answersBeyondTheSamplesBudgetAreNarrowedNotHeld() throws Exception {
        Map<String, Long> expected = rangeSelectorAnswer(prometheus.url(), NodeMemoryHistory.MEM_FREE, START, END);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            Dataset<Row> frame = raw(proxy.url(), START, END)
                    .option("metrics", NodeMemoryHistory.MEM_FREE)
                    .option("maxSamplesPerRequest", "500")
                    .load();
            assertEquals(expected, rows(frame));
            assertEquals(
                    6 * 3,
                    proxy.requests("/api/v1/read").size(),
                    "per hour: 720 samples abandoned at 500," + " then two half hours of 360");
        }
    }

    @Test
    void aCutOffStreamFailsLoudlyOnceRetriesRunOut() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(new Fault.TruncatedBody(), 2);
            Dataset<Row> frame = raw(proxy.url(), START, START.plus(Duration.ofMinutes(30)))
                    .option("metrics", NodeMemoryHistory.MEM_FREE)
                    .option("maxRetries", "1")
                    .load();
            String message = CauseMessages.of(assertThrows(Exception.class, frame::count));
            assertTrue(message.contains("could not be read after 2 attempts"), message);
            assertTrue(message.contains("remote read [{__name__=\"node_memory_MemFree_bytes\"}]"), message);
        }
    }

    @Test
    void clientErrorsFailAtOnceWithTheServerMessage() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(new Fault.Status(403, "text/plain", "tenant-a may not read"), 1);
            Dataset<Row> frame = raw(proxy.url(), START, START.plus(Duration.ofMinutes(30)))
                    .option("metrics", NodeMemoryHistory.MEM_FREE)
                    .load();
            String message = CauseMessages.of(assertThrows(Exception.class, frame::count));
            assertTrue(message.contains("HTTP 403: tenant-a may not read"), message);
            assertEquals(1, proxy.requestCount(), "a 4xx is not retried");
        }
    }

    /** Prometheus 2.42 answers a matcher it cannot compile with HTTP 500, which is retried like any 5xx. */
    @Test
    void badRegexFailsWithPrometheusOwnMessage() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            Dataset<Row> frame = raw(proxy.url(), START, START.plus(Duration.ofMinutes(30)))
                    .option("metrics", "{job=~\"(unclosed\"}")
                    .option("maxRetries", "1")
                    .load();
            String message = CauseMessages.of(assertThrows(Exception.class, frame::count));
            assertTrue(message.contains("HTTP 500: error parsing regexp: missing closing )"), message);
            assertEquals(2, proxy.requestCount());
        }
    }

    @Test
    void rawModeRejectsPromql() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> raw(prometheus.url(), START, END)
                        .option("query", "rate(up[5m])")
                        .load());
        assertTrue(
                error.getMessage().contains("'mode'=raw") && error.getMessage().contains("'query'"),
                error.getMessage());
    }

    /**
     * A scraped series that vanishes gets a staleness marker (a special NaN) at the first scrape without it. The
     * range selector leaves markers out, and so does mode=raw: the gap shows as missing rows, never as NaN values.
     */
    @Test
    void staleMarkersAreLeftOutAsTheRangeSelectorLeavesThemOut() throws Exception {
        AtomicInteger scrapes = new AtomicInteger();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            int n = scrapes.getAndIncrement();
            StringBuilder body = new StringBuilder("# TYPE tributary_live_value gauge\n")
                    .append("tributary_live_value{series=\"kept\"} ")
                    .append(n)
                    .append('\n');
            if (n < 3 || n >= 6) {
                body.append("tributary_live_value{series=\"vanishing\"} ")
                        .append(1000 + n)
                        .append('\n');
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        target.start();
        Path work = Path.of("target", "prometheus-raw-it", "scraping").toAbsolutePath();
        Instant started = Instant.now();
        try (PrometheusServer scraping = PrometheusServer.start(
                work, null, List.of("127.0.0.1:" + target.getAddress().getPort()), Duration.ofSeconds(1))) {
            // Scrapes 6 and later have the vanishing series back; with 10 scrapes served, scrape 6 started about 3 s
            // ago,
            // so it lies before `end`, and every scrape that started before `end` has been appended by now.
            Await.until("10 scrapes of the target", Duration.ofSeconds(60), () -> scrapes.get() >= 10);
            Instant end = Instant.now().minusSeconds(2);
            Instant start = started.minusSeconds(60);
            Map<String, Long> expected = rangeSelectorAnswer(scraping.url(), "tributary_live_value", start, end);
            Map<String, Long> read = rows(raw(scraping.url(), start, end)
                    .option("metrics", "tributary_live_value")
                    .load());
            assertEquals(expected, read);
            assertFalse(read.containsValue(Double.doubleToLongBits(Double.NaN)), "no staleness marker became a row");

            List<Long> vanishing = read.keySet().stream()
                    .filter(k -> k.contains("series=vanishing"))
                    .map(k -> Instant.parse(k.substring(k.indexOf('@') + 1)).toEpochMilli())
                    .sorted()
                    .toList();
            long gapStart = 0;
            for (int i = 1; i < vanishing.size(); i++) {
                if (vanishing.get(i) - vanishing.get(i - 1) > 2_500) {
                    gapStart = vanishing.get(i - 1);
                }
            }
            assertTrue(gapStart > 0, "the vanishing series has a gap of several scrapes: " + vanishing);
            // Without a staleness marker the 5-minute lookback would still return the last value here.
            Instant inGap = Instant.ofEpochMilli(gapStart + 2_500);
            assertEquals(
                    List.of(),
                    PrometheusJson.instantQuery(scraping.url(), "tributary_live_value{series=\"vanishing\"}", inGap),
                    "a staleness marker ended the series at " + inGap);
        } finally {
            target.stop(0);
        }
    }
}
