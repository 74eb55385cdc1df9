package io.tributary.testing.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * One real Prometheus per test JVM, serving a small history with the special series: 4 metrics x 3 instances x
 * 2 hours at 15 s, from 01:00 so that it spans two 2-hour TSDB blocks (and two backfill slices). Its blocks live
 * under {@code target/} and are reused by later runs while the history is unchanged. Tests that kill or restart a
 * server start their own.
 */
final class SharedPrometheus {
    static final Instant START = Instant.parse("2023-01-01T01:00:00Z");
    static final NodeMemoryHistory HISTORY = NodeMemoryHistory.builder()
            .instances(3)
            .groups(2)
            .start(START)
            .duration(Duration.ofHours(2))
            .specialSeries(true)
            .build();
    static final Path WORK_ROOT = Path.of("target", "prometheus-fixtures").toAbsolutePath();

    private static PrometheusServer server;

    private SharedPrometheus() {}

    static synchronized PrometheusServer server() {
        if (server == null) {
            try {
                Path work = WORK_ROOT.resolve("shared");
                Path file = work.resolve("history.om");
                HISTORY.writeOpenMetrics(file);
                server = PrometheusServer.start(work, file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shared-prometheus-close"));
        }
        return server;
    }
}
