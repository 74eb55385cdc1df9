package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.SparkTestSession;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SQL functions the plugin jar registers with no configuration (ServiceLoader), against a real Prometheus. */
class TributarySqlFunctionsIntegrationTest {
    private static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    private static final NodeMemoryHistory HISTORY = NodeMemoryHistory.builder()
            .instances(2)
            .start(START)
            .duration(Duration.ofHours(1))
            .build();
    private static PrometheusServer prometheus;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        Path work =
                Files.createDirectories(Path.of("target", "sql-functions-it").toAbsolutePath());
        HISTORY.writeOpenMetrics(work.resolve("history.om"));
        prometheus = PrometheusServer.start(work.resolve("server"), work.resolve("history.om"));
        spark = SparkTestSession.get();
    }

    @AfterAll
    static void stop() {
        prometheus.close();
    }

    @Test
    void theFunctionIsRegisteredWithoutConfiguration() {
        assertTrue(
                spark.sessionState()
                        .catalog()
                        .lookupBuiltinOrTempTableFunction("prometheus_range")
                        .isDefined(),
                "a wrong spark.sql.extensions name is only a warning in Spark, so the registration itself is checked");
    }

    @Test
    void prometheusRangeReadsLikeTheDataFrameApi() {
        List<Row> sql = spark.sql("SELECT labels['instance'] AS instance, timestamp, value FROM prometheus_range('"
                        + prometheus.url() + "', 'node_memory_MemTotal_bytes', TIMESTAMP '2023-01-01 00:00:00',"
                        + " TIMESTAMP '2023-01-01 00:30:00', '1m') ORDER BY instance, timestamp")
                .collectAsList();
        List<Row> api = spark.read()
                .format("prometheus")
                .option("url", prometheus.url())
                .option("query", "node_memory_MemTotal_bytes")
                .option("start", "2023-01-01T00:00:00Z")
                .option("end", "2023-01-01T00:30:00Z")
                .option("step", "1m")
                .load()
                .selectExpr("labels['instance'] AS instance", "timestamp", "value")
                .orderBy("instance", "timestamp")
                .collectAsList();
        assertEquals(2 * 31, sql.size());
        assertEquals(api, sql);
        assertEquals(
                HISTORY.value(NodeMemoryHistory.MEM_TOTAL, 1, 0), sql.get(31).getDouble(2));
    }

    @Test
    void badArgumentsNameTheParameter() {
        Exception error = assertThrows(
                Exception.class,
                () -> spark.sql("SELECT * FROM prometheus_range('" + prometheus.url() + "', 'up', 42)")
                        .collect());
        assertTrue(
                error.getMessage().contains("prometheus_range argument 'start' must be a string or a TIMESTAMP"),
                error.getMessage());
    }
}
