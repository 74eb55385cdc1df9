package io.tributary.prometheus;

import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The real Prometheus that the range-mode and raw-mode reader tests both read: 6 hours of history with the special
 * series (NaN, infinities, a gap, counter resets). Started once per test JVM, so the history is backfilled once;
 * closed when the JVM exits. Neither test stops or restarts it.
 */
final class ReaderTestPrometheus {
    static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    static final NodeMemoryHistory HISTORY = NodeMemoryHistory.builder()
            .instances(3)
            .groups(2)
            .start(START)
            .duration(Duration.ofHours(6))
            .specialSeries(true)
            .build();

    private static PrometheusServer server;

    private ReaderTestPrometheus() {}

    static synchronized PrometheusServer server() {
        if (server == null) {
            try {
                Path work = Files.createDirectories(
                        Path.of("target", "prometheus-reader-it").toAbsolutePath());
                Path history = work.resolve("history.om");
                HISTORY.writeOpenMetrics(history);
                server = PrometheusServer.start(work.resolve("server"), history);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "reader-test-prometheus-close"));
        }
        return server;
    }
}
