package io.tributary.bench.prometheus;

import io.tributary.bench.BenchSettings;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The node_memory history the Prometheus benchmarks read (4 metrics x instances x days @ 15 s from {@link #START},
 * in 4 groups). Its OpenMetrics file and, once a server has started on it, its backfilled TSDB are kept in the
 * cache directory ({@link BenchSettings#cacheDirectory}) under a name made of the parameters that generate it, so
 * that a rerun, or another benchmark of the same size, neither writes nor backfills them again.
 */
public final class BenchHistory {
    /** The first sample: the first day of the Byzer-python tutorial's range. */
    public static final Instant START = Instant.parse("2023-01-01T00:00:00Z");

    private static final String FILE = "history.om";

    private final NodeMemoryHistory history;
    private final Path dir;

    private BenchHistory(NodeMemoryHistory history, Path dir) {
        this.history = history;
        this.dir = dir;
    }

    /** The history of this size, written into the cache directory unless it is there already. */
    public static BenchHistory cached(int instances, int days) throws IOException {
        return cached(instances, Duration.ofDays(days));
    }

    /**
     * The history of {@code instances} over {@code span} (a whole number of 15 s steps), written into the cache
     * directory unless it is there already.
     */
    public static BenchHistory cached(int instances, Duration span) throws IOException {
        NodeMemoryHistory history = NodeMemoryHistory.builder()
                .instances(instances)
                .groups(4)
                .start(START)
                .duration(span)
                .build();
        String key = cacheKey(instances, span);
        Path dir = Files.createDirectories(
                BenchSettings.cacheDirectory(System.getenv(), Path.of(System.getProperty("user.home")))
                        .resolve(key));
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            System.out.println("history cached in " + dir);
        } else {
            Path partial = dir.resolve(FILE + ".partial");
            history.writeOpenMetrics(partial);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            System.out.println("history written to " + dir);
        }
        return new BenchHistory(history, dir);
    }

    /**
     * The cache directory's name: the span in days when it is whole days (the name earlier runs used), else in
     * seconds.
     */
    static String cacheKey(int instances, Duration span) {
        String length = span.toSeconds() % 86_400 == 0 ? span.toDays() + "days" : span.toSeconds() + "seconds";
        return String.format(
                Locale.ROOT,
                "prometheus-node-memory-%dinstances-4groups-%s-15s-from-%d",
                instances,
                length,
                START.getEpochSecond());
    }

    public NodeMemoryHistory history() {
        return history;
    }

    /** A Prometheus serving the history, on the cached TSDB when a server has backfilled it before. */
    public PrometheusServer serve() throws IOException {
        return PrometheusServer.start(dir.resolve("prometheus"), dir.resolve(FILE));
    }
}
