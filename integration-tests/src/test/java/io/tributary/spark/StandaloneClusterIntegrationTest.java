package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.BuildArtifacts;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.TestPython;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import io.tributary.testing.spark.ClusterReadJob;
import io.tributary.testing.spark.StandaloneCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster (Master and two Workers, separate JVMs) runs a job submitted exactly as users submit
 * it: {@code SparkSubmit --jars <the shaded jar> --conf spark.plugins=...}. The job reads a real Prometheus on both
 * executors and writes a Delta table, which this test then checks.
 */
class StandaloneClusterIntegrationTest {
    private static final Instant START = Instant.parse("2023-01-01T00:00:00Z");

    @Test
    void aSubmittedJobReadsPrometheusOnBothExecutorsIntoDelta() throws Exception {
        Path work = Files.createDirectories(
                Path.of("target", "standalone-cluster-it").toAbsolutePath());
        NodeMemoryHistory history = NodeMemoryHistory.builder()
                .instances(2)
                .start(START)
                .duration(Duration.ofHours(2))
                .build();
        history.writeOpenMetrics(work.resolve("history.om"));
        List<String> classpath = StandaloneCluster.testClasspath();
        List<String> flags = StandaloneCluster.testJvmFlags();
        Path table = work.resolve("delta-table");
        Path pluginJar = BuildArtifacts.pluginJar();
        Path jobJar = BuildArtifacts.integrationTestsJar();
        String end = history.lastSampleTime().toString();

        try (PrometheusServer prometheus =
                        PrometheusServer.start(work.resolve("prometheus"), work.resolve("history.om"));
                StandaloneCluster cluster = StandaloneCluster.start(work, classpath, flags, 2, 1)) {
            int exit = cluster.submit(
                    work.resolve("spark-submit.log"),
                    pluginJar,
                    jobJar,
                    ClusterReadJob.class.getName(),
                    List.of(
                            "spark.plugins=io.tributary.spark.TributaryPlugin",
                            "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
                            "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
                            "spark.ui.enabled=false",
                            "spark.executor.memory=768m",
                            "spark.cores.max=2",
                            "spark.driver.host=127.0.0.1",
                            "spark.tributary.python.executable=" + TestPython.executable()),
                    List.of(
                            prometheus.url(),
                            String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS),
                            START.toString(),
                            end,
                            table.toString()),
                    Duration.ofMinutes(4));
            String log = Files.readString(work.resolve("spark-submit.log"), StandardCharsets.UTF_8);
            assertEquals(
                    0,
                    exit,
                    "spark-submit failed; its log ends with:\n" + log.substring(Math.max(0, log.length() - 4000)));
        }

        List<Row> perExecutor = SparkTestSession.get()
                .read()
                .format("delta")
                .load(table.toString())
                .groupBy("executor_id")
                .count()
                .orderBy("executor_id")
                .collectAsList();
        long gridPoints = Duration.between(START, history.lastSampleTime()).dividedBy(Duration.ofSeconds(15)) + 1;
        assertEquals(2, perExecutor.size(), "both executors read: " + perExecutor);
        assertEquals(
                4 * 2 * gridPoints,
                perExecutor.get(0).getLong(1) + perExecutor.get(1).getLong(1),
                "every sample of 4 metrics x 2 instances, once");
        Row cached = SparkTestSession.get()
                .read()
                .format("delta")
                .load(table.toString())
                .filter("metric = 'node_memory_Cached_bytes' AND instance = 'node-01:9100'"
                        + " AND timestamp = '2023-01-01 01:00:00'")
                .first();
        assertEquals(history.value(NodeMemoryHistory.CACHED, 1, 240), cached.getDouble(3));
        assertEquals(
                history.value(NodeMemoryHistory.CACHED, 1, 240) / (1L << 30),
                cached.getDouble(6),
                "the Python transform's column");
        List<Row> pythonWorkers = SparkTestSession.get()
                .read()
                .format("delta")
                .load(table.toString())
                .groupBy("executor_id")
                .agg(
                        functions.countDistinct("python_pid").alias("workers"),
                        functions.count(functions.col("python_pid")).alias("rows"))
                .orderBy("executor_id")
                .collectAsList();
        assertEquals(2, pythonWorkers.size(), "Python ran on both executors: " + pythonWorkers);
        for (Row executor : pythonWorkers) {
            assertTrue(executor.getLong(1) >= 1, "a Python worker on executor " + executor.getString(0));
        }
        assertEquals(
                4 * 2 * gridPoints,
                pythonWorkers.get(0).getLong(2) + pythonWorkers.get(1).getLong(2),
                "every row went through a Python worker");
        Row driverRun = SparkTestSession.get()
                .read()
                .format("delta")
                .load(table + "-driver-run")
                .selectExpr("rows", "python_ppid", "driver_pid")
                .collectAsList()
                .get(0);
        assertEquals(4 * 2 * gridPoints, driverRun.getLong(0), "the runIn=driver script saw every row");
        assertEquals(
                driverRun.getLong(2), driverRun.getLong(1), "the runIn=driver script's Python is the driver's child");
    }
}
