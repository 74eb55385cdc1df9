package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.testing.Await;
import io.tributary.testing.CauseMessages;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.SqlTabMetrics;
import io.tributary.testing.prometheus.NativeHistogramExporter;
import io.tributary.testing.prometheus.PrometheusJson;
import io.tributary.testing.prometheus.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Native histograms end to end: a real Prometheus 2.42 with {@code --enable-feature=native-histograms} scrapes a
 * live client_java 1.x exporter (protobuf exposition) every second. Known observations are made, the test waits
 * until Prometheus has scraped them, and every read is compared point by point with the server's own JSON answer
 * for the same query and range, and with the observations' literal count, sum and buckets.
 */
class PrometheusNativeHistogramIntegrationTest {
    private static final String HISTOGRAM = NativeHistogramExporter.HISTOGRAM;
    private static final String GAUGE = NativeHistogramExporter.GAUGE;
    private static final Duration STEP = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Schema 5 bucket boundaries below 0.5 and 2 (0.5 * 2^(-1/32), 2 * 2^(-1/32)), and the zero bucket's width. */
    private static final double BELOW_HALF = 0.48928603104384993;

    private static final double BELOW_TWO = 1.9571441241753997;
    private static final double ZERO_THRESHOLD = 2.938735877055719e-39;

    private static NativeHistogramExporter exporter;
    private static PrometheusServer prometheus;
    private static SparkSession spark;
    /** The grid of every read: whole seconds, from before the first scrape to after the last observation's. */
    private static Instant start;

    private static Instant end;

    @BeforeAll
    static void startServers() throws Exception {
        Path work = Path.of("target", "prometheus-histogram-it").toAbsolutePath();
        JavaUtils.deleteRecursively(work.toFile());
        Files.createDirectories(work);
        exporter = NativeHistogramExporter.start();
        exporter.observe("/a", 0.5);
        exporter.observe("/a", 2.0);
        exporter.observe("/a", 0.0);
        exporter.observe("/b", 0.25);
        exporter.setGauge(21.5);
        prometheus = PrometheusServer.start(
                work.resolve("server"), null, List.of(exporter.target()), STEP, List.of("native-histograms"));
        awaitCounts(Map.of("/a", "3", "/b", "1"));
        start = Instant.ofEpochSecond(Instant.now().getEpochSecond() - 5);
        exporter.observe("/a", 0.5);
        Instant fourSeen = awaitCounts(Map.of("/a", "4", "/b", "1"));
        end = Instant.ofEpochSecond(fourSeen.getEpochSecond() + 2);
        // Scrapes of one target are appended in order: once a sample after `end` is visible, every sample up to
        // `end` is too, and every read below sees the same data.
        awaitCondition("a scrape after " + end, () -> latestGaugeSample().isAfter(end));
        spark = SparkTestSession.get();
    }

    @AfterAll
    static void stopServers() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    private static Instant awaitCondition(String what, Await.Condition condition) throws Exception {
        Await.until(what + " (Prometheus log " + prometheus.logFile() + ")", WAIT, condition);
        return Instant.now();
    }

    /** Waits until Prometheus' latest histogram of each path has the given observation count. */
    private static Instant awaitCounts(Map<String, String> countsByPath) throws Exception {
        return awaitCondition("histogram counts " + countsByPath, () -> {
            Map<String, String> counts = new HashMap<>();
            for (PrometheusJson.SeriesPoints series : PrometheusJson.instantQuery(
                    prometheus.url(), "histogram_count(" + HISTOGRAM + ")", Instant.now())) {
                counts.put(series.labels().get("path"), series.points().get(0).value());
            }
            return counts.equals(countsByPath);
        });
    }

    private static Instant latestGaugeSample() throws Exception {
        List<PrometheusJson.SeriesPoints> series =
                PrometheusJson.instantQuery(prometheus.url(), "timestamp(" + GAUGE + ")", Instant.now());
        return series.isEmpty()
                ? Instant.EPOCH
                : Instant.ofEpochSecond(
                        (long) Double.parseDouble(series.get(0).points().get(0).value()));
    }

    private static DataFrameReader read() {
        return spark.read()
                .format("prometheus")
                .option("url", prometheus.url())
                .option("start", start.toString())
                .option("end", end.toString())
                .option("step", "1s");
    }

    private static String key(String metric, Map<String, String> labels, Instant timestamp) {
        return metric + new TreeMap<>(labels) + "@" + timestamp;
    }

    /** A histogram as [count, sum, [[boundaryRule, lower, upper, count], ...]]. */
    private static List<Object> histogram(double count, double sum, List<List<Object>> buckets) {
        return List.of(count, sum, buckets);
    }

    private static List<Object> bucket(int rule, double lower, double upper, double count) {
        return List.of(rule, lower, upper, count);
    }

    /** The struct of a {@code histogram} column as [count, sum, buckets]. */
    private static List<Object> histogram(Row struct) {
        List<List<Object>> buckets = new ArrayList<>();
        for (Row bucket : struct.<Row>getList(2)) {
            buckets.add(bucket(bucket.getInt(0), bucket.getDouble(1), bucket.getDouble(2), bucket.getDouble(3)));
        }
        return histogram(struct.getDouble(0), struct.getDouble(1), buckets);
    }

    /** (metric, labels, timestamp) → the float value or the histogram, from the server's own answer. */
    private static Map<String, Object> serverAnswer(String query) throws Exception {
        Map<String, Object> points = new HashMap<>();
        for (JsonNode series : PrometheusJson.queryRangeResult(prometheus.url(), query, start, end, STEP)) {
            Map<String, String> labels = new TreeMap<>();
            series.get("metric")
                    .properties()
                    .forEach(
                            label -> labels.put(label.getKey(), label.getValue().asText()));
            String metric = labels.remove("__name__");
            for (JsonNode point : series.path("values")) {
                points.put(
                        key(metric, labels, Instant.ofEpochSecond(point.get(0).asLong())), number(point.get(1)));
            }
            for (JsonNode point : series.path("histograms")) {
                JsonNode value = point.get(1);
                List<List<Object>> buckets = new ArrayList<>();
                for (JsonNode bucket : value.path("buckets")) {
                    buckets.add(bucket(
                            bucket.get(0).asInt(),
                            number(bucket.get(1)),
                            number(bucket.get(2)),
                            number(bucket.get(3))));
                }
                points.put(
                        key(metric, labels, Instant.ofEpochSecond(point.get(0).asLong())),
                        histogram(number(value.get("count")), number(value.get("sum")), buckets));
            }
        }
        return points;
    }

    /** A number as the API writes it: Go's text of a float, including NaN, +Inf and -Inf. */
    private static double number(JsonNode text) {
        switch (text.asText()) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text.asText());
        }
    }

    /** The same map from layout=long rows; fails on a row with both or neither of value and histogram. */
    private static Map<String, Object> longRows(Dataset<Row> frame) {
        Map<String, Object> points = new HashMap<>();
        StructType schema = frame.schema();
        for (Row row : frame.collectAsList()) {
            boolean isFloat = !row.isNullAt(schema.fieldIndex("value"));
            boolean isHistogram = !row.isNullAt(schema.fieldIndex("histogram"));
            assertTrue(isFloat != isHistogram, "value or histogram, never both or neither: " + row);
            Object value = isFloat
                    ? (Object) row.getDouble(schema.fieldIndex("value"))
                    : histogram(row.getStruct(schema.fieldIndex("histogram")));
            String key = key(
                    row.getString(0),
                    row.getJavaMap(1),
                    row.getTimestamp(schema.fieldIndex("timestamp")).toInstant());
            assertNull(points.put(key, value), "duplicate point " + key);
        }
        return points;
    }

    private static Map<String, Object> only(Map<String, Object> points, Predicate<String> keys) {
        Map<String, Object> kept = new HashMap<>();
        points.forEach((key, value) -> {
            if (keys.test(key)) {
                kept.put(key, value);
            }
        });
        return kept;
    }

    /** What the exporter served at the end of the range, for path /a and /b. */
    private static final List<Object> A_AT_END = histogram(
            4,
            3.0,
            List.of(
                    bucket(3, -ZERO_THRESHOLD, ZERO_THRESHOLD, 1),
                    bucket(0, BELOW_HALF, 0.5, 2),
                    bucket(0, BELOW_TWO, 2.0, 1)));

    private static final List<Object> B_AT_END = histogram(1, 0.25, List.of(bucket(0, BELOW_HALF / 2, 0.25, 1)));
    private static final List<Object> A_AT_START = histogram(
            3,
            2.5,
            List.of(
                    bucket(3, -ZERO_THRESHOLD, ZERO_THRESHOLD, 1),
                    bucket(0, BELOW_HALF, 0.5, 1),
                    bucket(0, BELOW_TWO, 2.0, 1)));

    private static Map<String, String> labels(String path) {
        return Map.of("instance", exporter.target(), "job", "tributary", "path", path);
    }

    @Test
    void metricsOptionReadsEveryHistogramPointExactly() throws Exception {
        Dataset<Row> frame = read().option("metrics", HISTOGRAM).load();
        Map<String, Object> read = longRows(frame);
        Map<String, Object> server = serverAnswer(HISTOGRAM);
        assertEquals(server, read);
        assertEquals(A_AT_END, read.get(key(HISTOGRAM, labels("/a"), end)));
        assertEquals(B_AT_END, read.get(key(HISTOGRAM, labels("/b"), end)));
        Instant firstA = read.keySet().stream()
                .filter(key ->
                        key.startsWith(key(HISTOGRAM, labels("/a"), start).replaceAll("@.*", "@")))
                .map(key -> Instant.parse(key.replaceAll(".*@", "")))
                .min(Instant::compareTo)
                .orElseThrow();
        assertEquals(A_AT_START, read.get(key(HISTOGRAM, labels("/a"), firstA)), "before the 4th observation");
        assertEquals(
                Duration.between(firstA, end).toSeconds() + 1,
                only(read, key -> key.startsWith(HISTOGRAM + new TreeMap<>(labels("/a"))))
                        .size(),
                "a point every second from the first scrape on");
        assertEquals(
                Long.toString(read.size()),
                SqlTabMetrics.ofLatestExecution(spark, "Prometheus").get("Prometheus samples decoded"),
                "histogram points count as samples");
    }

    @Test
    void promqlOverHistogramsReadsLikeTheServerAnswersIt() throws Exception {
        String rate = "rate(" + HISTOGRAM + "[5s])";
        Map<String, Object> rates = longRows(read().option("query", rate).load());
        assertEquals(serverAnswer(rate), rates);
        assertTrue(
                rates.values().stream().anyMatch(value -> (Double) ((List<?>) value).get(0) > 0),
                "the 4th observation shows as a positive rate: " + rates);

        String sum = "sum(rate(" + HISTOGRAM + "[5s]))";
        Map<String, Object> sums = longRows(read().option("query", sum).load());
        assertEquals(serverAnswer(sum), sums);
        assertTrue(sums.keySet().stream().allMatch(key -> key.startsWith("null{}@")), "no name, no labels: " + sums);
    }

    @Test
    void aSelectorMatchingFloatsAndHistogramsReadsBoth() throws Exception {
        String selector = "{__name__=~\"tributary_.*\"}";
        Map<String, Object> read = longRows(read().option("metrics", selector).load());
        assertEquals(serverAnswer(selector), read);
        Map<String, Object> gauge = only(read, key -> key.startsWith(GAUGE));
        assertTrue(!gauge.isEmpty() && gauge.values().stream().allMatch(value -> value.equals(21.5)), gauge.toString());
        assertEquals(A_AT_END, read.get(key(HISTOGRAM, labels("/a"), end)));
    }

    @Test
    void wideLayoutReadsHistogramMetricsIntoStructColumns() throws Exception {
        Dataset<Row> wide = read().option("metrics", HISTOGRAM + "," + GAUGE)
                .option("layout", "wide")
                .option("histogramMetrics", HISTOGRAM)
                .option("labelColumns", "path")
                .load();
        assertEquals(
                "struct<labels:map<string,string>,path:string,timestamp:timestamp,"
                        + HISTOGRAM
                        + ":struct<count:double,sum:double,buckets:array<struct<boundaryRule:int,lower:double,"
                        + "upper:double,count:double>>>," + GAUGE + ":double>",
                wide.schema().simpleString());
        Map<String, Object> histograms = new HashMap<>();
        Map<String, Object> gauges = new HashMap<>();
        for (Row row : wide.collectAsList()) {
            Instant at = row.getTimestamp(2).toInstant();
            Map<String, String> labels = new TreeMap<>(row.<String, String>getJavaMap(0));
            if (!row.isNullAt(3)) {
                histograms.put(key(HISTOGRAM, labels, at), histogram(row.getStruct(3)));
            }
            if (!row.isNullAt(4)) {
                gauges.put(key(GAUGE, labels, at), row.getDouble(4));
            }
            assertTrue(row.isNullAt(3) != row.isNullAt(4), "the gauge and the histograms have other label sets");
        }
        Map<String, Object> server = serverAnswer("{__name__=~\"" + HISTOGRAM + "|" + GAUGE + "\"}");
        assertEquals(only(server, key -> key.startsWith(HISTOGRAM)), histograms);
        assertEquals(only(server, key -> key.startsWith(GAUGE)), gauges);
        assertEquals(A_AT_END, histograms.get(key(HISTOGRAM, labels("/a"), end)));
    }

    @Test
    void wideLayoutWithoutHistogramMetricsFailsNamingMetricSeriesAndOption() {
        Exception error = assertThrows(
                Exception.class,
                () -> read().option("metrics", HISTOGRAM + "," + GAUGE)
                        .option("layout", "wide")
                        .load()
                        .collectAsList());
        String message = CauseMessages.of(error);
        assertTrue(
                message.contains("Metric '" + HISTOGRAM + "' answered a native histogram for series {__name__="
                        + HISTOGRAM + ", instance=" + exporter.target() + ", job=tributary, path=/a} at "),
                message);
        assertTrue(
                message.contains("but its layout=wide column is DOUBLE; list it in option 'histogramMetrics'"
                        + " (histogramMetrics=" + HISTOGRAM + ") to read it as a histogram column"),
                message);
    }

    @Test
    void theSqlFunctionReturnsHistograms() throws Exception {
        List<Row> rows = spark.sql("SELECT labels['path'] AS path, timestamp, value, histogram FROM prometheus_range('"
                        + prometheus.url() + "', '" + HISTOGRAM + "', '" + start + "', '" + end + "', '1s')")
                .collectAsList();
        Map<String, Object> read = new HashMap<>();
        for (Row row : rows) {
            assertTrue(row.isNullAt(2), "no float value: " + row);
            read.put(
                    key(HISTOGRAM, labels(row.getString(0)), row.getTimestamp(1).toInstant()),
                    histogram(row.getStruct(3)));
        }
        assertEquals(serverAnswer(HISTOGRAM), read);
    }

    @Test
    void rawModeFailsNamingTheSeriesAndModeRange() {
        Exception error = assertThrows(
                Exception.class,
                () -> read().option("metrics", HISTOGRAM + "{path=\"/a\"}")
                        .option("mode", "raw")
                        .load()
                        .collectAsList());
        String message = CauseMessages.of(error);
        assertTrue(
                message.contains("Series {__name__=" + HISTOGRAM + ", instance=" + exporter.target()
                        + ", job=tributary, path=/a} holds native histograms ("),
                message);
        assertTrue(
                message.contains("which mode=raw does not read: it reads float samples only. Read this series with"
                        + " mode=range, whose layout=long returns native histograms in its 'histogram' column"),
                message);
    }
}
