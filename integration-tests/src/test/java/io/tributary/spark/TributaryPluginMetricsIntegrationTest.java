package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.testing.Await;
import io.tributary.testing.PluginMetricsScrape;
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
import org.junit.jupiter.api.Test;

/**
 * The plugin's {@code /metrics} endpoint: executors' connector metrics reach the driver, and a real Prometheus
 * server scrapes them, read back through Tributary's own {@code format("prometheus")}.
 */
class TributaryPluginMetricsIntegrationTest {
    private static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    private static final String SAMPLES = "tributary_prometheus_samples_total";

    @Test
    void executorMetricsReachTheDriverAndAPrometheusServerScrapesThem() throws Exception {
        SparkSession spark = SparkTestSession.get();
        NodeMemoryHistory history = NodeMemoryHistory.builder()
                .instances(2)
                .start(START)
                .duration(Duration.ofHours(1))
                .build();
        Path work =
                Files.createDirectories(Path.of("target", "plugin-metrics-it").toAbsolutePath());
        history.writeOpenMetrics(work.resolve("history.om"));
        try (PrometheusServer source = PrometheusServer.start(work.resolve("source"), work.resolve("history.om"))) {
            double before = PluginMetricsScrape.value(SAMPLES, "");
            long rows = spark.read()
                    .format("prometheus")
                    .option("url", source.url())
                    .option("metrics", String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS))
                    .option("start", START.toString())
                    .option("end", history.lastSampleTime().toString())
                    .load()
                    .count();
            assertEquals(history.nodeMemorySampleCount(), rows);
            assertEquals(
                    before + rows,
                    PluginMetricsScrape.await(SAMPLES, "", before + rows),
                    "the driver serves the executor's exact total");

            try (PrometheusServer scraper = PrometheusServer.start(
                    work.resolve("scraper"),
                    null,
                    List.of("127.0.0.1:" + SparkTestSession.metricsPort()),
                    Duration.ofSeconds(1))) {
                double total = before + rows;
                Await.until(
                        "a scrape of the driver's counter covering our read (" + total + " samples)",
                        Duration.ofSeconds(30),
                        () -> {
                            List<Row> points = spark.read()
                                    .format("prometheus")
                                    .option("url", scraper.url())
                                    .option("metrics", "tributary_prometheus_samples_total")
                                    .option("labelColumns", "executor_id")
                                    .option("start", "now-20s")
                                    .option("step", "1s")
                                    .load()
                                    .filter("executor_id = 'driver'")
                                    .orderBy("timestamp")
                                    .collectAsList();
                            return !points.isEmpty()
                                    && points.get(points.size() - 1).getDouble(4) >= total;
                        });
            }
        }
    }
}
