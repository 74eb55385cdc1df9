package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.Await;
import io.tributary.testing.CauseMessages;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.SqlTabMetrics;
import io.tributary.testing.prometheus.Fault;
import io.tributary.testing.prometheus.FaultInjectingProxy;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusJson;
import io.tributary.testing.prometheus.PrometheusServer;
import io.tributary.testing.prometheus.RecordedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code format("prometheus")} from the shaded jar against a real Prometheus holding generated history: every
 * value is checked against both the server's own single-request answer and the generator's formula.
 */
class PrometheusReaderIntegrationTest {
    private static final Instant START = ReaderTestPrometheus.START;
    private static final NodeMemoryHistory HISTORY = ReaderTestPrometheus.HISTORY;
    /** Five minutes past the last sample: the lookback keeps points coming until then. */
    private static final Instant END = HISTORY.lastSampleTime().plus(Duration.ofMinutes(5));

    private static final Duration STEP = Duration.ofSeconds(15);

    private static PrometheusServer prometheus;
    private static SparkSession spark;

    @BeforeAll
    static void startServer() {
        prometheus = ReaderTestPrometheus.server();
        spark = SparkTestSession.get();
    }

    private static DataFrameReader read(String url) {
        return spark.read()
                .format("prometheus")
                .option("url", url)
                .option("start", START.toString())
                .option("end", END.toString())
                .option("step", "15s")
                .option("partitionDuration", "1h")
                .option("retryInitialDelay", "50ms");
    }

    /** (metric, labels without __name__, timestamp) → value, from Spark rows of the long layout. */
    private static Map<String, Double> longRows(Dataset<Row> frame) {
        Map<String, Double> points = new HashMap<>();
        for (Row row : frame.collectAsList()) {
            String key = key(
                    row.getString(0),
                    new TreeMap<>(row.<String, String>getJavaMap(1)),
                    row.getTimestamp(frame.schema().fieldIndex("timestamp")).toInstant());
            assertNull(points.put(key, row.getDouble(frame.schema().fieldIndex("value"))), "duplicate point " + key);
        }
        return points;
    }

    private static String key(String metric, Map<String, String> labels, Instant timestamp) {
        return metric + labels + "@" + timestamp;
    }

    /** The server's own answer for the whole range in one request (under 11,000 points per series). */
    private static Map<String, Double> serverAnswer(String query) throws Exception {
        Map<String, Double> points = new HashMap<>();
        for (PrometheusJson.SeriesPoints series :
                PrometheusJson.queryRange(prometheus.url(), query, START, END, STEP)) {
            Map<String, String> labels = new TreeMap<>(series.labels());
            String metric = labels.remove("__name__");
            for (PrometheusJson.Point point : series.points()) {
                Instant at = Instant.ofEpochMilli(Math.round(point.seconds() * 1000));
                points.put(key(metric, labels, at), RangeValue.parse(point.value()));
            }
        }
        return points;
    }

    /** What the generator says the range query returns for every series of the given metrics. */
    private static Map<String, Double> expectedFromFormula(List<String> metrics) {
        Map<String, Double> points = new HashMap<>();
        for (NodeMemoryHistory.Series series : HISTORY.series()) {
            if (!metrics.contains(series.metric())) {
                continue;
            }
            for (Instant t = START; !t.isAfter(END); t = t.plus(STEP)) {
                OptionalDouble value = HISTORY.pointAt(series, t);
                if (value.isPresent()) {
                    points.put(key(series.metric(), new TreeMap<>(series.labels()), t), value.getAsDouble());
                }
            }
        }
        return points;
    }

    /** Prometheus' value strings as doubles (Java spells infinity differently). */
    private static final class RangeValue {
        static double parse(String text) {
            switch (text) {
                case "+Inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    return Double.parseDouble(text);
            }
        }
    }

    @Test
    void longLayoutReadsEverySampleOnceAcrossSlices() throws Exception {
        List<String> metrics = HISTORY.metricNames();
        Dataset<Row> frame = read(prometheus.url())
                .option("metrics", String.join(",", metrics))
                .load();
        assertEquals(7 * metrics.size(), frame.rdd().getNumPartitions(), "7 one-hour slices x metrics");

        Map<String, Double> read = longRows(frame);
        Map<String, Double> server = new HashMap<>();
        for (String metric : metrics) {
            server.putAll(serverAnswer(metric));
        }
        assertEquals(server.size(), read.size());
        assertEquals(server, read, "the sliced read equals the server's single-request answer");
        assertEquals(expectedFromFormula(metrics), read, "and the generator's values, NaN and infinities included");
    }

    @Test
    void labelColumnsAreNullWhereTheLabelIsMissing() {
        Dataset<Row> frame = read(prometheus.url())
                .option("metrics", NodeMemoryHistory.PARTLY_GROUPED_METRIC)
                .option("labelColumns", "instance,group")
                .load()
                .filter("timestamp = '2023-01-01 01:00:00'")
                .orderBy("instance");
        List<Row> rows = frame.select("metric", "instance", "group", "value").collectAsList();
        assertEquals(2, rows.size());
        assertEquals(
                List.of(NodeMemoryHistory.PARTLY_GROUPED_METRIC, "node-00:9100", "group-0", 1240.0),
                List.of(
                        rows.get(0).get(0),
                        rows.get(0).get(1),
                        rows.get(0).get(2),
                        rows.get(0).get(3)));
        assertEquals(NodeMemoryHistory.UNGROUPED_INSTANCE, rows.get(1).getString(1));
        assertTrue(rows.get(1).isNullAt(2));
        assertEquals(2240.0, rows.get(1).getDouble(3));
    }

    @Test
    void wideLayoutJoinsMetricsWithNullsWhereAPointIsMissing() {
        String metrics = String.join(
                ",", NodeMemoryHistory.NON_FINITE_METRIC, NodeMemoryHistory.GAP_METRIC, NodeMemoryHistory.MEM_FREE);
        Dataset<Row> wide = read(prometheus.url())
                .option("metrics", metrics)
                .option("layout", "wide")
                .option("labelColumns", "instance")
                .load();
        assertEquals(7, wide.rdd().getNumPartitions(), "one partition per time slice, all metrics together");

        NodeMemoryHistory.Series gap = HISTORY.specialSeries(NodeMemoryHistory.GAP_METRIC);
        NodeMemoryHistory.Series nonFinite = HISTORY.specialSeries(NodeMemoryHistory.NON_FINITE_METRIC);
        Map<Instant, Row> special = new HashMap<>();
        long nodeRows = 0;
        for (Row row : wide.collectAsList()) {
            if (row.getString(1).equals(NodeMemoryHistory.SPECIAL_INSTANCE)) {
                special.put(row.getTimestamp(2).toInstant(), row);
            } else {
                nodeRows++;
                assertTrue(row.isNullAt(3) && row.isNullAt(4), "node series carry no special metric");
            }
        }
        long gridPoints = Duration.between(START, END).dividedBy(STEP) + 1;
        assertEquals(3 * gridPoints, nodeRows, "one row per node instance and grid point");
        assertEquals(gridPoints, special.size());
        int gapNulls = 0;
        for (Instant t = START; !t.isAfter(END); t = t.plus(STEP)) {
            Row row = special.get(t);
            assertEquals(new TreeMap<>(nonFinite.labels()), new TreeMap<>(row.<String, String>getJavaMap(0)));
            OptionalDouble gapPoint = HISTORY.pointAt(gap, t);
            if (gapPoint.isPresent()) {
                assertEquals(gapPoint.getAsDouble(), row.getDouble(4), "gap metric at " + t);
            } else {
                assertTrue(row.isNullAt(4), "gap metric is null inside the gap at " + t);
                gapNulls++;
            }
            assertEquals(HISTORY.pointAt(nonFinite, t).getAsDouble(), row.getDouble(3), "non-finite metric at " + t);
            assertTrue(row.isNullAt(5), "MemFree has no series for the special instance");
        }
        assertTrue(gapNulls > 0, "the gap shows as nulls once the 5-minute lookback has run out");
    }

    @Test
    void wideLayoutJoinsASliceInWindowsWithinTheSamplesBudget() throws Exception {
        // One 6 h slice of 720 points; 3 instances, so 3 label sets: after a first window of 360 points, windows of
        // 300 / 3 = 100 points, each one request a metric.
        Instant end = START.plus(Duration.ofHours(3)).minus(STEP);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            Dataset<Row> wide = read(proxy.url())
                    .option("end", end.toString())
                    .option("metrics", NodeMemoryHistory.MEM_FREE + "," + NodeMemoryHistory.CACHED)
                    .option("layout", "wide")
                    .option("labelColumns", "instance")
                    .option("partitionDuration", "6h")
                    .option("maxSamplesPerRequest", "300")
                    .load();
            assertEquals(1, wide.rdd().getNumPartitions());
            List<Row> rows = wide.collectAsList();

            assertEquals(3 * 720, rows.size(), "3 instances x 720 points, each once");
            Map<String, Integer> instanceIndex = new HashMap<>();
            for (int k = 0; k < HISTORY.instances(); k++) {
                instanceIndex.put(HISTORY.instance(k), k);
            }
            Set<String> seen = new HashSet<>();
            for (Row row : rows) {
                int k = instanceIndex.get(row.getString(1));
                Instant t = row.getTimestamp(2).toInstant();
                assertTrue(seen.add(row.getString(1) + "@" + t), "one row per instance and point: " + row);
                assertEquals(
                        HISTORY.pointAt(HISTORY.nodeSeries(NodeMemoryHistory.MEM_FREE, k), t)
                                .getAsDouble(),
                        row.getDouble(3));
                assertEquals(
                        HISTORY.pointAt(HISTORY.nodeSeries(NodeMemoryHistory.CACHED, k), t)
                                .getAsDouble(),
                        row.getDouble(4));
            }
            for (String metric : List.of(NodeMemoryHistory.MEM_FREE, NodeMemoryHistory.CACHED)) {
                List<String> windows = proxy.requests("/api/v1/query_range").stream()
                        .filter(request -> request.parameter("query").equals(metric))
                        .map(request -> request.parameter("start") + ".." + request.parameter("end"))
                        .sorted()
                        .toList();
                long first = START.getEpochSecond();
                assertEquals(
                        List.of(
                                first + ".." + (first + 359 * 15),
                                (first + 360 * 15) + ".." + (first + 459 * 15),
                                (first + 460 * 15) + ".." + (first + 559 * 15),
                                (first + 560 * 15) + ".." + (first + 659 * 15),
                                (first + 660 * 15) + ".." + (first + 719 * 15)),
                        windows,
                        metric);
            }
        }
    }

    @Test
    void labelsAsJsonReadBackAsTheMapInLongLayout() throws Exception {
        String metrics = String.join(",", HISTORY.metricNames());
        int rows = LabelsFormatRows.assertJsonReadsBackAsTheMap(
                read(prometheus.url())
                        .option("metrics", metrics)
                        .option("labelColumns", "group")
                        .load(),
                read(prometheus.url())
                        .option("metrics", metrics)
                        .option("labelColumns", "group")
                        .option("labelsFormat", "json")
                        .load());
        Map<String, Double> server = new HashMap<>();
        for (String metric : HISTORY.metricNames()) {
            server.putAll(serverAnswer(metric));
        }
        assertEquals(server.size(), rows, "every sample the server holds");
    }

    @Test
    void labelsAsJsonReadBackAsTheMapInWideLayout() {
        String metrics = String.join(
                ",", NodeMemoryHistory.NON_FINITE_METRIC, NodeMemoryHistory.GAP_METRIC, NodeMemoryHistory.MEM_FREE);
        int rows = LabelsFormatRows.assertJsonReadsBackAsTheMap(
                read(prometheus.url())
                        .option("metrics", metrics)
                        .option("layout", "wide")
                        .load(),
                read(prometheus.url())
                        .option("metrics", metrics)
                        .option("layout", "wide")
                        .option("labelsFormat", "json")
                        .load());
        assertEquals(
                4 * (Duration.between(START, END).dividedBy(STEP) + 1),
                rows,
                "three node instances and the special one, every grid point");
    }

    @Test
    void promqlQueriesReadLikeTheServerAnswersThem() throws Exception {
        String query = "sum by (group) (node_memory_MemFree_bytes)";
        Dataset<Row> frame = read(prometheus.url()).option("query", query).load();
        Map<String, Double> read = longRows(frame);
        assertEquals(serverAnswer(query), read);
        assertEquals(2 * (Duration.between(START, END).dividedBy(STEP) + 1), read.size(), "two groups, every point");
        assertTrue(read.keySet().stream().allMatch(key -> key.startsWith("null{group=")), "an aggregate has no name");
    }

    @Test
    void filtersArePushedIntoTheRequests() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            Dataset<Row> frame = read(proxy.url())
                    .option("metrics", NodeMemoryHistory.ACTIVE + "," + NodeMemoryHistory.CACHED)
                    .option("labelColumns", "instance,group")
                    .load()
                    .filter("instance IN ('node-01:9100', 'node-02:9100') AND metric = 'node_memory_Cached_bytes'"
                            + " AND timestamp >= '2023-01-01 02:10:00' AND timestamp < '2023-01-01 02:20:00'");
            String plan = frame.queryExecution().executedPlan().toString();
            assertTrue(plan.contains("node_memory_Cached_bytes{instance=~\"node-01:9100|node-02:9100\"}"), plan);

            List<Row> rows = frame.collectAsList();
            assertEquals(2 * 40, rows.size(), "2 instances x 40 points in [02:10, 02:20)");
            List<RecordedRequest> requests = proxy.requests("/api/v1/query_range");
            assertEquals(1, requests.size(), "one metric, one slice left after pushdown");
            RecordedRequest request = requests.get(0);
            assertEquals(
                    "node_memory_Cached_bytes{instance=~\"node-01:9100|node-02:9100\"}", request.parameter("query"));
            assertEquals(
                    Long.toString(Instant.parse("2023-01-01T02:10:00Z").getEpochSecond()), request.parameter("start"));
            assertEquals(
                    Long.toString(Instant.parse("2023-01-01T02:19:45Z").getEpochSecond()), request.parameter("end"));
            for (Row row : rows) {
                int k = row.getString(2).equals("node-01:9100") ? 1 : 2;
                Instant t = row.getTimestamp(4).toInstant();
                assertEquals(
                        HISTORY.pointAt(HISTORY.nodeSeries(NodeMemoryHistory.CACHED, k), t)
                                .getAsDouble(),
                        row.getDouble(5));
            }
        }
    }

    @Test
    void faultsAreRetriedWithoutHolesOrDuplicates() throws Exception {
        Map<String, Double> expected = serverAnswer(NodeMemoryHistory.MEM_FREE);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(new Fault.Status(503, "text/plain", "down for a moment"), 2);
            proxy.enqueue(new Fault.TooManyRequests(1), 1);
            proxy.enqueue(new Fault.ResetMidBody(), 2);
            proxy.enqueue(new Fault.TruncatedBody(), 2);
            Dataset<Row> frame = read(proxy.url())
                    .option("metrics", NodeMemoryHistory.MEM_FREE)
                    .option("maxRetries", "10")
                    .load();
            Map<String, Double> read = longRows(frame);
            assertEquals(expected, read);
            assertEquals(0, proxy.pendingFaults());
            assertEquals(7, proxy.faultsApplied());
            assertEquals(7 + 7, proxy.requestCount(), "7 slices, 7 of their requests retried once");
        }
    }

    /** The last grid point of the test range: the end of a one-slice read's request. */
    private static Instant lastGridPoint() {
        return START.plus(STEP.multipliedBy(Duration.between(START, END).dividedBy(STEP)));
    }

    @Test
    void aPartialAnswerFailsTheReadQuotingItsWarningUnlessAllowed() throws Exception {
        String warning = "No StoreAPIs matched for this query";
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue("/api/v1/query_range", Fault.partialResponse(warning), 1);
            Exception error = assertThrows(
                    Exception.class,
                    () -> read(proxy.url())
                            .option("metrics", NodeMemoryHistory.MEM_FREE)
                            .option("partitionDuration", "7h")
                            .load()
                            .collectAsList());
            String message = CauseMessages.of(error);
            assertTrue(
                    message.contains("Prometheus answered query_range " + NodeMemoryHistory.MEM_FREE + " over [" + START
                            + ", " + lastGridPoint() + "] step 15s at " + proxy.url()
                            + " with a warning that the answer may be"
                            + " partial: \"" + warning
                            + "\". Rows of a partial answer would be missing without an error, so the read"
                            + " fails; set option 'allowPartialResponse'=true to accept partial data knowingly"),
                    message);
            assertEquals(1, proxy.requests("/api/v1/query_range").size(), "not retried: the answer was whole JSON");
        }
    }

    @Test
    void allowPartialResponseReturnsThePartialRowsAndCountsTheWarning() throws Exception {
        Map<String, String> firstSeries =
                new TreeMap<>(PrometheusJson.queryRange(prometheus.url(), NodeMemoryHistory.MEM_FREE, START, END, STEP)
                        .get(0)
                        .labels());
        firstSeries.remove("__name__");
        Map<String, Double> expected = new HashMap<>();
        serverAnswer(NodeMemoryHistory.MEM_FREE).forEach((key, value) -> {
            if (key.startsWith(NodeMemoryHistory.MEM_FREE + firstSeries + "@")) {
                expected.put(key, value);
            }
        });
        assertEquals(Duration.between(START, END).dividedBy(STEP) + 1, expected.size(), "one series, every point");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(
                    "/api/v1/query_range", Fault.partialResponse("fetching series: store 10.0.0.7:10901 down"), 1);
            Dataset<Row> frame = read(proxy.url())
                    .option("metrics", NodeMemoryHistory.MEM_FREE)
                    .option("partitionDuration", "7h")
                    .option("allowPartialResponse", "true")
                    .load();
            assertEquals(expected, longRows(frame), "the first of three series, as the partial answer held");
            assertEquals(
                    "1", SqlTabMetrics.ofLatestExecution(spark, "Prometheus").get("Prometheus answer warnings"));
        }
    }

    @Test
    void promqlAnnotationsAreCountedButNeverFailARead() throws Exception {
        Map<String, Double> expected = serverAnswer(NodeMemoryHistory.MEM_FREE);
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(
                    "/api/v1/query_range",
                    Fault.answerNote("warnings", "PromQL warning: quantile value should be between 0 and 1"),
                    1);
            proxy.enqueue(
                    "/api/v1/query_range",
                    Fault.answerNote(
                            "infos",
                            "PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket"),
                    1);
            Dataset<Row> frame = read(proxy.url())
                    .option("metrics", NodeMemoryHistory.MEM_FREE)
                    .option("partitionDuration", "3h")
                    .load();
            assertEquals(expected, longRows(frame));
            assertEquals(0, proxy.pendingFaults(), "three slices, two of them annotated");
            assertEquals(
                    "2", SqlTabMetrics.ofLatestExecution(spark, "Prometheus").get("Prometheus answer warnings"));
        }
    }

    @Test
    void badQueriesFailWithPrometheusOwnMessage() {
        Exception error = assertThrows(
                Exception.class,
                () -> read(prometheus.url())
                        .option("query", "sum(rate(up[5m])")
                        .load()
                        .count());
        String message = CauseMessages.of(error);
        assertTrue(message.contains("HTTP 400 bad_data"), message);
        assertTrue(message.contains("unclosed left parenthesis"), message);
        assertTrue(message.contains("sum(rate(up[5m])"), message);
    }

    @Test
    void badOptionsFailBeforeAnyRequest() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> read(prometheus.url())
                        .option("metrics", "up")
                        .option("layout", "tall")
                        .load());
        assertEquals("Option 'layout' must be one of long, wide, got 'tall'", error.getMessage());
    }

    private static final String OPTIONS_DOCUMENTED = " The options of format(\"prometheus\") are listed in README.md"
            + " under \"Prometheus\" > \"Options\" (lateness and maxBatchDuration under \"Streaming\")";

    @Test
    void aMisspeltOptionFailsTheReadNamingTheOptionMeant() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            IllegalArgumentException error = assertThrows(
                    IllegalArgumentException.class,
                    () -> read(proxy.url())
                            .option("metrics", NodeMemoryHistory.MEM_TOTAL)
                            .option("partitonDuration", "2h")
                            .load());
            assertEquals(
                    "Unknown option 'partitonDuration': did you mean 'partitionDuration'?" + OPTIONS_DOCUMENTED,
                    error.getMessage());
            assertEquals(List.of(), proxy.requests("/api/v1/query_range"));
        }
    }

    @Test
    void aMisspeltSessionConfOfTheSourceFailsTheRead() {
        spark.conf().set("spark.tributary.prometheus.maxRetry", "3");
        try {
            IllegalArgumentException error = assertThrows(
                    IllegalArgumentException.class,
                    () -> read(prometheus.url())
                            .option("metrics", NodeMemoryHistory.MEM_TOTAL)
                            .load());
            assertEquals(
                    "Unknown session conf 'spark.tributary.prometheus.maxRetry': did you mean"
                            + " 'spark.tributary.prometheus.maxRetries'?" + OPTIONS_DOCUMENTED,
                    error.getMessage());
        } finally {
            spark.conf().unset("spark.tributary.prometheus.maxRetry");
        }
    }

    @Test
    void optionsInAnyCaseHeadersAndUnrelatedConfsStillRead() {
        spark.conf().set("spark.tributary.prometheusx.stpe", "1");
        try {
            Dataset<Row> frame = read(prometheus.url())
                    .option("METRICS", NodeMemoryHistory.MEM_TOTAL)
                    .option("header.X-Scope-OrgID", "tenant-a")
                    .option("Lateness", "1m")
                    .load();
            assertEquals(3 * (Duration.between(START, END).dividedBy(STEP) + 1), frame.count());
        } finally {
            spark.conf().unset("spark.tributary.prometheusx.stpe");
        }
    }

    @Test
    void credentialsAndHeadersAreSentButNeverShown() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            Dataset<Row> frame = read(proxy.url())
                    .option("metrics", NodeMemoryHistory.MEM_TOTAL)
                    .option("bearerToken", "t0p-s3cret-token")
                    .option("header.X-Scope-OrgID", "tenant-a")
                    .option("partitionDuration", "7h")
                    .load();
            assertEquals(3 * (Duration.between(START, END).dividedBy(STEP) + 1), frame.count());
            RecordedRequest request = proxy.requests("/api/v1/query_range").get(0);
            assertEquals("Bearer t0p-s3cret-token", request.header("Authorization"));
            assertEquals("tenant-a", request.header("X-Scope-OrgID"));
            String explained = frame.queryExecution().toString();
            assertTrue(explained.contains("auth=bearer"), explained);
            assertFalse(explained.contains("t0p-s3cret-token"), explained);
            assertFalse(explained.contains("tenant-a"), explained);
        }
    }

    @Test
    void scanMetricsReachTheSparkUi() throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(new Fault.Status(503, "text/plain", "once"), 1);
            long points = Duration.between(START, END).dividedBy(STEP) + 1;
            Dataset<Row> frame = read(proxy.url())
                    .option("metrics", NodeMemoryHistory.MEM_TOTAL)
                    .option("partitionDuration", "7h")
                    .load();
            assertEquals(3 * points, frame.count());

            Map<String, String> byName = SqlTabMetrics.ofLatestExecution(spark, "Prometheus");
            assertEquals("2", byName.get("Prometheus HTTP requests"), byName.toString());
            assertEquals("0", byName.get("Prometheus answer warnings"), byName.toString());
            assertEquals("1", byName.get("Prometheus request retries"), byName.toString());
            assertEquals(Long.toString(3 * points), byName.get("Prometheus samples decoded"), byName.toString());
            assertTrue(Long.parseLong(byName.get("Prometheus bytes received")) > 3 * points * 20, byName.toString());
        }
    }

    @Test
    void aServerKilledAndRestartedMidScanLosesNothing() throws Exception {
        Map<String, Double> expected = new HashMap<>();
        for (String metric : NodeMemoryHistory.NODE_MEMORY_METRICS) {
            expected.putAll(serverAnswer(metric));
        }
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            proxy.enqueue(new Fault.Delay(Duration.ofMillis(200)), 1000);
            Dataset<Row> frame = read(proxy.url())
                    .option("metrics", String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS))
                    .option("maxRetries", "10")
                    .option("retryInitialDelay", "200ms")
                    .load();
            CompletableFuture<Map<String, Double>> scan = CompletableFuture.supplyAsync(() -> longRows(frame));
            Await.until("4 requests of the scan", Duration.ofSeconds(60), () -> proxy.requestCount() >= 4);
            prometheus.kill();
            // The server stays down until the scan has sent requests to it while it was down, which must be retried.
            long beforeKill = proxy.requestCount();
            Await.until(
                    "2 requests of the scan while the server is down",
                    Duration.ofSeconds(60),
                    () -> proxy.requestCount() >= beforeKill + 2);
            prometheus.restart();
            Map<String, Double> read = scan.get();
            assertEquals(expected, read, "exact rows and values after a server crash mid-scan");
            assertTrue(
                    proxy.requestCount() > 7 * 4,
                    "requests that failed while the server was down were retried" + " (requests=" + proxy.requestCount()
                            + " for 28 slices)");
        }
    }
}
