package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.prometheus.Fault;
import io.tributary.testing.prometheus.FaultInjectingProxy;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link PrometheusDeltaLoad} from the shaded jar: real Prometheus with a day of generated history, real Delta. */
class PrometheusDeltaLoadIntegrationTest {
    private static final Instant DAY = Instant.parse("2023-01-01T00:00:00Z");
    private static final NodeMemoryHistory HISTORY = NodeMemoryHistory.builder()
            .instances(2)
            .groups(1)
            .start(DAY)
            .duration(Duration.ofDays(1))
            .build();
    private static final Duration STEP = Duration.ofSeconds(15);

    private static PrometheusServer prometheus;
    private static SparkSession spark;
    private static Path work;

    @BeforeAll
    static void startServer() throws Exception {
        work = Path.of("target", "prometheus-delta-load-it").toAbsolutePath();
        Files.createDirectories(work);
        HISTORY.writeOpenMetrics(work.resolve("history.om"));
        prometheus = PrometheusServer.start(work.resolve("server"), work.resolve("history.om"));
        spark = SparkTestSession.get();
    }

    @AfterAll
    static void stopServer() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static Map<String, String> options(String url, String from, String to) {
        Map<String, String> options = new HashMap<>();
        options.put("url", url);
        options.put("metrics", NodeMemoryHistory.ACTIVE);
        options.put("labelColumns", "instance");
        options.put("start", from);
        options.put("end", to);
        options.put("step", "15s");
        options.put("maxRetries", "0");
        return options;
    }

    private static String freshTable(String name) throws Exception {
        Path path = work.resolve(name);
        JavaUtils.deleteRecursively(path.toFile());
        return path.toString();
    }

    private static long version(String path) {
        return DeltaTable.forPath(spark, path).history(1).collectAsList().get(0).getLong(0);
    }

    /** instance@timestamp → value, asserting that no key is held twice. */
    private static Map<String, Double> points(Dataset<Row> table) {
        Map<String, Double> points = new HashMap<>();
        for (Row row : table.select("instance", "timestamp", "value").collectAsList()) {
            String key = row.getString(0) + "@" + row.getTimestamp(1).toInstant();
            assertEquals(null, points.put(key, row.getDouble(2)), "held twice: " + key);
        }
        return points;
    }

    /** The generator's values of node_memory_Active_bytes in [from, to), times {@code factor}. */
    private static Map<String, Double> expected(Instant from, Instant to, double factor) {
        Map<String, Double> points = new HashMap<>();
        for (int k = 0; k < HISTORY.instances(); k++) {
            NodeMemoryHistory.Series series = HISTORY.nodeSeries(NodeMemoryHistory.ACTIVE, k);
            for (Instant t = from; t.isBefore(to); t = t.plus(STEP)) {
                points.put(
                        HISTORY.instance(k) + "@" + t,
                        HISTORY.pointAt(series, t).getAsDouble() * factor);
            }
        }
        return points;
    }

    @Test
    void loadingTheSameDayTwiceHoldsItOnce() throws Exception {
        String path = freshTable("same-day");
        Map<String, String> day = options(prometheus.url(), "2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z");
        PrometheusDeltaLoad.window(spark, day).partitionBy("metric").saveToPath(path);
        assertEquals(0, version(path), "the first load creates the table");
        Map<String, Double> expected = expected(DAY, DAY.plus(Duration.ofDays(1)), 1);
        assertEquals(2 * 5760, expected.size(), "2 series x 5760 points, end excluded");
        assertEquals(expected, points(spark.read().format("delta").load(path)));

        PrometheusDeltaLoad.window(spark, day).partitionBy("metric").saveToPath(path);
        assertEquals(1, version(path));
        assertEquals(expected, points(spark.read().format("delta").load(path)), "the second load replaced the day");
    }

    @Test
    void anOverlappingLoadReplacesTheOverlapAndKeepsTheRest() throws Exception {
        String path = freshTable("overlap");
        PrometheusDeltaLoad.window(spark, options(prometheus.url(), "2023-01-01T00:00:00Z", "2023-01-01T12:00:00Z"))
                .saveToPath(path);
        // The same series with other values, as after a correction upstream: Active doubled, under its own name.
        Map<String, String> corrected = options(prometheus.url(), "2023-01-01T06:00:00Z", "2023-01-01T18:00:00Z");
        corrected.remove("metrics");
        corrected.put(
                "query",
                "label_replace(" + NodeMemoryHistory.ACTIVE + " * 2, \"__name__\", \"" + NodeMemoryHistory.ACTIVE
                        + "\", \"\", \"\")");
        PrometheusDeltaLoad.window(spark, corrected).saveToPath(path);

        Map<String, Double> expected = expected(DAY, DAY.plus(Duration.ofHours(6)), 1);
        expected.putAll(expected(DAY.plus(Duration.ofHours(6)), DAY.plus(Duration.ofHours(18)), 2));
        Dataset<Row> table = spark.read().format("delta").load(path);
        assertEquals(expected, points(table), "[00:00, 06:00) from the first load, [06:00, 18:00) from the second");
        assertEquals(
                List.of(NodeMemoryHistory.ACTIVE),
                table.select("metric").distinct().as(Encoders.STRING()).collectAsList());
    }

    @Test
    void aFailedLoadLeavesTheTableAtItsPreviousVersion() throws Exception {
        String path = freshTable("failed");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
            PrometheusDeltaLoad.window(spark, options(proxy.url(), "2023-01-01T00:00:00Z", "2023-01-01T06:00:00Z"))
                    .saveToPath(path);
            Map<String, Double> before = points(spark.read().format("delta").load(path));
            assertEquals(expected(DAY, DAY.plus(Duration.ofHours(6)), 1), before);

            proxy.enqueue("/api/v1/query_range", Fault.status(503, "down for maintenance"), 1_000);
            Exception failure = assertThrows(
                    Exception.class,
                    () -> PrometheusDeltaLoad.window(
                                    spark, options(proxy.url(), "2023-01-01T00:00:00Z", "2023-01-01T12:00:00Z"))
                            .saveToPath(path));
            assertTrue(stackText(failure).contains("503"), stackText(failure));
            assertEquals(0, version(path), "no commit");
            assertEquals(before, points(spark.read().format("delta").load(path)));
        }
    }

    @Test
    void aNamedTableIsReplacedTheSameWay() {
        String table = "prometheus_delta_load_it";
        spark.sql("DROP TABLE IF EXISTS " + table);
        try {
            Map<String, String> window = options(prometheus.url(), "2023-01-01T03:00:00Z", "2023-01-01T04:00:00Z");
            PrometheusDeltaLoad.window(spark, window).saveAsTable(table);
            PrometheusDeltaLoad.window(spark, window).saveAsTable(table);
            assertEquals(
                    expected(DAY.plus(Duration.ofHours(3)), DAY.plus(Duration.ofHours(4)), 1),
                    points(spark.table(table)));
        } finally {
            spark.sql("DROP TABLE IF EXISTS " + table);
        }
    }

    @Test
    void aTableWrittenBeforeTheHistogramColumnTakesLoadsOnceItIsAdded() throws Exception {
        String path = freshTable("before-histograms");
        Map<String, String> window = options(prometheus.url(), "2023-01-01T00:00:00Z", "2023-01-01T01:00:00Z");
        // A table as loads wrote it before native histograms: no histogram column.
        PrometheusDeltaLoad.window(spark, window)
                .read()
                .drop("histogram")
                .write()
                .format("delta")
                .save(path);

        Exception mismatch = assertThrows(
                Exception.class, () -> PrometheusDeltaLoad.window(spark, window).saveToPath(path));
        assertTrue(stackText(mismatch).contains("schema mismatch"), stackText(mismatch));
        assertEquals(0, version(path), "no commit");

        spark.sql("ALTER TABLE delta.`" + path + "` ADD COLUMNS (histogram STRUCT<count: DOUBLE, sum: DOUBLE,"
                + " buckets: ARRAY<STRUCT<boundaryRule: INT, lower: DOUBLE, upper: DOUBLE, count: DOUBLE>>>)");
        PrometheusDeltaLoad.window(spark, window).saveToPath(path);
        Dataset<Row> table = spark.read().format("delta").load(path);
        assertEquals(expected(DAY, DAY.plus(Duration.ofHours(1)), 1), points(table));
        assertEquals(
                PrometheusDeltaLoad.window(spark, window)
                        .read()
                        .schema()
                        .apply("histogram")
                        .dataType()
                        .catalogString(),
                table.schema().apply("histogram").dataType().catalogString(),
                "nullability aside");
        assertEquals(0, table.where("histogram IS NOT NULL").count(), "node memory has no native histograms");
    }

    private static String stackText(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append('\n');
        }
        return text.toString();
    }
}
