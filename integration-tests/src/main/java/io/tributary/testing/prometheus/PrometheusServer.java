package io.tributary.testing.prometheus;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the Debian {@code prometheus} binary) on a free loopback port, serving history
 * backfilled from an OpenMetrics file, for integration tests, the demo and benchmarks.
 *
 * <p>Layout of {@code workDir}: {@code data/} (the TSDB), {@code backfill.sha256} (which history {@code data/}
 * holds; a later start with the identical file skips the slow backfill), {@code promtool.log},
 * {@code prometheus.yml}, {@code prometheus.log}.
 *
 * <p>Example:
 * <pre>{@code
 * history.writeOpenMetrics(work.resolve("history.om"));
 * try (PrometheusServer prometheus = PrometheusServer.start(work, work.resolve("history.om"))) {
 *   spark.read().format("prometheus").option("url", prometheus.url())...
 * }
 * }</pre>
 */
public final class PrometheusServer implements AutoCloseable {
    /** Bounded wait for {@code /-/ready}; opening a large TSDB or replaying a WAL after a kill takes seconds. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int PORT_ATTEMPTS = 3;

    private final Path workDir;
    private final Path dataDir;
    private final Path configFile;
    private final Path logFile;
    private final boolean reusedBlocks;
    private final List<String> enabledFeatures;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private int port;
    /** Volatile: the shutdown hook reads it from another thread. */
    private volatile Process process;

    private Thread shutdownHook;

    private PrometheusServer(Path workDir, boolean reusedBlocks, List<String> enabledFeatures) {
        this.workDir = workDir.toAbsolutePath();
        this.dataDir = this.workDir.resolve("data");
        this.configFile = this.workDir.resolve("prometheus.yml");
        this.logFile = this.workDir.resolve("prometheus.log");
        this.reusedBlocks = reusedBlocks;
        this.enabledFeatures = List.copyOf(enabledFeatures);
    }

    /** Backfills {@code openMetricsFile} into {@code workDir/data} (unless already done) and starts the server. */
    public static PrometheusServer start(Path workDir, Path openMetricsFile) throws IOException {
        return start(workDir, openMetricsFile, List.of(), Duration.ofSeconds(15));
    }

    /**
     * Like {@link #start(Path, Path)}, and also scrapes {@code scrapeTargets} ({@code host:port}, job
     * {@code tributary}) every {@code scrapeInterval}. With a null {@code openMetricsFile} the TSDB starts empty.
     * A server with scrape targets writes new samples into {@code data/}, so its blocks are not reused later.
     */
    public static PrometheusServer start(
            Path workDir, Path openMetricsFile, List<String> scrapeTargets, Duration scrapeInterval)
            throws IOException {
        return start(workDir, openMetricsFile, scrapeTargets, scrapeInterval, List.of());
    }

    /**
     * Like {@link #start(Path, Path, List, Duration)}, with Prometheus' feature flags {@code enabledFeatures}
     * ({@code --enable-feature=}), e.g. {@code native-histograms}, which makes it scrape in protobuf and keep
     * native histograms.
     */
    public static PrometheusServer start(
            Path workDir,
            Path openMetricsFile,
            List<String> scrapeTargets,
            Duration scrapeInterval,
            List<String> enabledFeatures)
            throws IOException {
        for (String feature : enabledFeatures) {
            if (!feature.matches("[a-z0-9-]+")) {
                throw new IllegalArgumentException("enabledFeatures entries must be feature names such as"
                        + " native-histograms, got '" + feature + "'");
            }
        }
        for (String target : scrapeTargets) {
            if (!target.matches("[^\\s/:'\"]+:\\d{1,5}")) {
                throw new IllegalArgumentException("scrapeTargets entries must be host:port, got '" + target + "'");
            }
        }
        if (scrapeInterval.toMillis() < 1 || scrapeInterval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(
                    "scrapeInterval must be a positive whole number of seconds, got " + scrapeInterval);
        }
        Files.createDirectories(workDir);
        Path dataDir = workDir.toAbsolutePath().resolve("data");
        boolean reused;
        if (openMetricsFile == null) {
            TsdbBackfill.invalidate(dataDir);
            TsdbBackfill.deleteRecursively(dataDir);
            Files.createDirectories(dataDir);
            reused = false;
        } else {
            reused = TsdbBackfill.ensureBlocks(openMetricsFile, dataDir, workDir.resolve("promtool.log"));
        }
        if (!scrapeTargets.isEmpty()) {
            TsdbBackfill.invalidate(dataDir);
        }
        PrometheusServer server = new PrometheusServer(workDir, reused, enabledFeatures);
        server.writeConfig(scrapeTargets, scrapeInterval);
        server.startOnFreePort();
        return server;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path workDir() {
        return workDir;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The server's combined stdout and stderr, over all (re)starts. */
    public Path logFile() {
        return logFile;
    }

    /** Whether the TSDB blocks of an earlier backfill of the identical file were reused. */
    public boolean reusedBlocks() {
        return reusedBlocks;
    }

    /** The server process, for measuring what it costs (its CPU time); empty once stopped. */
    public synchronized java.util.Optional<ProcessHandle> processHandle() {
        return isRunning() ? java.util.Optional.of(process.toHandle()) : java.util.Optional.empty();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the server with SIGKILL, as a crash would; {@link #restart()} brings it back. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit(process, STOP_TIMEOUT);
            process = null;
        }
    }

    /** Stops the server if it runs, then starts it again on the same port and data directory and waits for ready. */
    public synchronized void restart() throws IOException {
        stopGracefully();
        launch();
        awaitReady();
    }

    /** Stops the server: SIGTERM, then SIGKILL if it has not exited within 15 s. */
    @Override
    public synchronized void close() {
        stopGracefully();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting and runs the hook anyway.
            }
            shutdownHook = null;
        }
    }

    @Override
    public String toString() {
        return "PrometheusServer{" + url() + ", " + workDir + "}";
    }

    private void writeConfig(List<String> scrapeTargets, Duration scrapeInterval) throws IOException {
        StringBuilder yaml = new StringBuilder("# Written by PrometheusServer; scrapes only what a test asks for.\n")
                .append("global:\n  scrape_interval: ")
                .append(scrapeInterval.toSeconds())
                .append("s\n");
        if (!scrapeTargets.isEmpty()) {
            yaml.append("scrape_configs:\n  - job_name: tributary\n    static_configs:\n      - targets:\n");
            for (String target : scrapeTargets) {
                yaml.append("          - '").append(target).append("'\n");
            }
        }
        Files.writeString(configFile, yaml.toString(), StandardCharsets.UTF_8);
    }

    private void startOnFreePort() throws IOException {
        // A free port found now can be taken by someone else before Prometheus binds it, so retry that case.
        for (int attempt = 1; ; attempt++) {
            port = freeLoopbackPort();
            launch();
            try {
                awaitReady();
                registerShutdownHook();
                return;
            } catch (IllegalStateException e) {
                boolean portTaken = ProcessLogs.tail(logFile, 20).contains("address already in use");
                if (!portTaken || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(
                PrometheusBinaries.prometheus().toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dataDir,
                "--storage.tsdb.retention.time=100y",
                "--web.listen-address=127.0.0.1:" + port));
        if (!enabledFeatures.isEmpty()) {
            command.add("--enable-feature=" + String.join(",", enabledFeatures));
        }
        Files.writeString(
                logFile,
                "=== " + Instant.now() + " starting: " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
    }

    private void awaitReady() {
        URI ready = URI.create(url() + "/-/ready");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                process = null;
                throw new IllegalStateException("prometheus exited with code " + exit + " before becoming ready on "
                        + url() + "; log " + logFile + ":\n" + ProcessLogs.tail(logFile, 40));
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(ready)
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Keep polling until the deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new IllegalStateException("interrupted while waiting for prometheus to become ready", e);
            }
            sleepQuietly(100);
        }
        kill();
        throw new IllegalStateException("prometheus was not ready on " + url() + " within " + READY_TIMEOUT.toSeconds()
                + " s; log " + logFile + ":\n" + ProcessLogs.tail(logFile, 40));
    }

    private void stopGracefully() {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!awaitExit(process, STOP_TIMEOUT)) {
            process.destroyForcibly();
            awaitExit(process, STOP_TIMEOUT);
        }
        process = null;
    }

    /** Without this, a test JVM that dies leaves an orphaned server holding the port and the data directory. */
    private void registerShutdownHook() {
        shutdownHook = new Thread(
                () -> {
                    Process p = process;
                    if (p != null) {
                        p.destroyForcibly();
                    }
                },
                "prometheus-server-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private static boolean awaitExit(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
