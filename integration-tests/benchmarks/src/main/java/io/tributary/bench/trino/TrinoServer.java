package io.tributary.bench.trino;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A single-node Trino server (coordinator and worker in one JVM) from an unpacked {@code trino-server} tarball,
 * run by its launcher in the foreground as a child of this JVM, on a free loopback port, with three catalogs:
 * {@code prometheus} (Trino's Prometheus connector on one Prometheus server), {@code delta} (Delta Lake on a
 * local file metastore) and {@code tpch} (Trino's built-in generated data, only to tell when queries can run).
 *
 * <p>Layout of {@code workDir}: {@code etc/} (node, JVM, server and catalog configuration), {@code data/} (the
 * node's data directory), {@code metastore/} (the Delta catalog's file metastore and tables), {@code server.log}
 * (the server's console output over all starts), {@code trino.pid} (the running server's process id, so that a
 * wrapper script can stop a server this JVM left behind when it was killed).
 *
 * <p>Example:
 * <pre>{@code
 * try (TrinoServer trino = TrinoServer.start(trinoHome, javaHome, work, prometheus.url());
 *      Connection connection = trino.connect()) {
 *   connection.createStatement().executeQuery("SELECT count(*) FROM prometheus.default.up");
 * }
 * }</pre>
 */
final class TrinoServer implements AutoCloseable {
    /** Trino's heap, as in its documented single-node set-up; the benchmark prints it with its figures. */
    static final String HEAP = "4G";
    /** Starting Trino on a loaded 2-core machine took 42 s; this bounds a start that will never finish. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String STARTED_LINE = "======== SERVER STARTED ========";
    /**
     * Scheduled on the node like a Prometheus read, but needs nothing outside Trino. For some seconds after "SERVER
     * STARTED" the scheduler knows no node yet and fails every such query with "No nodes available to run query".
     */
    private static final String READY_PROBE = "SELECT count(*) FROM tpch.tiny.region";

    private final Path trinoHome;
    private final Path javaHome;
    private final Path workDir;
    private final Path logFile;
    private final Path pidFile;
    private final int port;
    private volatile Process process;
    private final Thread shutdownHook;

    private TrinoServer(Path trinoHome, Path javaHome, Path workDir, int port) {
        this.trinoHome = trinoHome;
        this.javaHome = javaHome;
        this.workDir = workDir;
        this.logFile = workDir.resolve("server.log");
        this.pidFile = workDir.resolve("trino.pid");
        this.port = port;
        // Without this, a benchmark that fails leaves a 4 GB Trino server running.
        this.shutdownHook = new Thread(
                () -> {
                    Process p = process;
                    if (p != null) {
                        p.destroyForcibly();
                    }
                },
                "trino-server-shutdown");
    }

    /**
     * Writes the configuration into {@code workDir/etc} and starts the server; returns once it logged that it
     * started and a query can be scheduled on it.
     *
     * @param trinoHome the unpacked {@code trino-server-VERSION} directory (with {@code bin/launcher})
     * @param javaHome the JDK Trino runs on (Trino 476 needs Java 24 or later)
     * @param prometheusUrl the Prometheus server the {@code prometheus} catalog reads
     */
    static TrinoServer start(Path trinoHome, Path javaHome, Path workDir, String prometheusUrl) throws IOException {
        Path launcher = trinoHome.resolve("bin/launcher");
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("--trino-home must be an unpacked trino-server directory with an"
                    + " executable bin/launcher, got " + trinoHome);
        }
        if (!Files.isExecutable(javaHome.resolve("bin/java"))) {
            throw new IllegalArgumentException(
                    "--trino-java-home must be a JDK directory with bin/java, got " + javaHome);
        }
        Path work = workDir.toAbsolutePath();
        TrinoServer server = new TrinoServer(trinoHome.toAbsolutePath(), javaHome.toAbsolutePath(), work, freePort());
        server.writeConfiguration(prometheusUrl);
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        server.launchAndAwaitStarted();
        return server;
    }

    /** A new JDBC connection as user {@code bench}. */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "bench");
        return new io.trino.jdbc.TrinoDriver().connect("jdbc:trino://127.0.0.1:" + port, properties);
    }

    /** The server process, for reading its CPU time and memory; empty while stopped. */
    Optional<ProcessHandle> processHandle() {
        Process p = process;
        return p != null && p.isAlive() ? Optional.of(p.toHandle()) : Optional.empty();
    }

    /** Stops the server (SIGTERM: Trino shuts down cleanly) and waits until the process has exited. */
    void stop() throws IOException {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        if (!waitFor(p, STOP_TIMEOUT)) {
            p.destroyForcibly();
            waitFor(p, STOP_TIMEOUT);
        }
        process = null;
        Files.deleteIfExists(pidFile);
    }

    /**
     * Starts the stopped server again with the same configuration and data, and returns once it logged that it
     * started and a query can be scheduled on it.
     */
    void startAgain() throws IOException {
        if (process != null) {
            throw new IllegalStateException("Trino is still running; stop() it first");
        }
        launchAndAwaitStarted();
    }

    @Override
    public void close() throws IOException {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook anyway.
        }
    }

    private void writeConfiguration(String prometheusUrl) throws IOException {
        Path etc = Files.createDirectories(workDir.resolve("etc/catalog"));
        Path data = Files.createDirectories(workDir.resolve("data"));
        Path metastore = Files.createDirectories(workDir.resolve("metastore"));
        write(
                etc.resolveSibling("node.properties"),
                "node.environment=bench",
                "node.id=bench-1",
                "node.data-dir=" + data);
        write(
                etc.resolveSibling("jvm.config"),
                "-server",
                "-Xmx" + HEAP,
                "-XX:+UseG1GC",
                "-XX:+ExitOnOutOfMemoryError",
                "-Djdk.attach.allowAttachSelf=true");
        write(
                etc.resolveSibling("config.properties"),
                "coordinator=true",
                "node-scheduler.include-coordinator=true",
                "http-server.http.port=" + port,
                "discovery.uri=http://127.0.0.1:" + port);
        write(etc.resolve("prometheus.properties"), prometheusCatalog(prometheusUrl));
        write(etc.resolve("delta.properties"), deltaCatalog(metastore));
        write(etc.resolve("tpch.properties"), "connector.name=tpch");
    }

    /**
     * The {@code prometheus} catalog. Trino splits a read into one request per chunk of its maximum query range
     * that the query's {@code "timestamp"} predicate leaves, so the range must reach back to the history (from
     * 2023) and the chunk is a day, as a Trino user reading days of history would set it. Without case-insensitive
     * name matching Trino cannot see mixed-case metric names such as {@code node_memory_MemFree_bytes}.
     */
    static List<String> prometheusCatalog(String prometheusUrl) {
        return List.of(
                "connector.name=prometheus",
                "prometheus.uri=" + prometheusUrl,
                "prometheus.query.chunk.size.duration=1d",
                "prometheus.max.query.range.duration=1500d",
                "prometheus.cache.ttl=30s",
                "prometheus.case-insensitive-name-matching=true");
    }

    /**
     * The {@code delta} catalog: Delta Lake on a file metastore in {@code metastore}. The Hadoop file system, because
     * Trino's native {@code local://} one fails CREATE TABLE AS writing the transaction log.
     */
    static List<String> deltaCatalog(Path metastore) {
        return List.of(
                "connector.name=delta_lake",
                "hive.metastore=file",
                "hive.metastore.catalog.dir=" + metastore.toUri(),
                "fs.hadoop.enabled=true");
    }

    private void launchAndAwaitStarted() throws IOException {
        long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
        ProcessBuilder builder = new ProcessBuilder(
                        trinoHome.resolve("bin/launcher").toString(),
                        "--etc-dir=" + workDir.resolve("etc"),
                        "--data-dir=" + workDir.resolve("data"),
                        "run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("JAVA_HOME", javaHome.toString());
        // The launcher's "run" replaces itself with the server JVM, so this process is the server.
        process = builder.start();
        Files.writeString(pidFile, process.pid() + "\n", StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!startedSince(logStart)) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                process = null;
                throw new IllegalStateException(
                        "Trino exited with code " + exit + " before it started; log " + logFile + ":\n" + tail(40));
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("Trino did not start within " + READY_TIMEOUT.toSeconds() + " s; log "
                        + logFile + ":\n" + tail(40));
            }
            sleep(100);
        }
        awaitSchedulable(deadline);
    }

    private void awaitSchedulable(long deadline) throws IOException {
        while (true) {
            try (Connection connection = connect();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(READY_PROBE)) {
                result.next();
                return;
            } catch (SQLException e) {
                if (e.getMessage() == null || !e.getMessage().contains("No nodes available")) {
                    throw new IllegalStateException("Trino started but failed " + READY_PROBE + "; log " + logFile, e);
                }
                if (System.nanoTime() > deadline) {
                    stop();
                    throw new IllegalStateException(
                            "Trino had no node to run queries on within " + READY_TIMEOUT.toSeconds()
                                    + " s of its start; log " + logFile,
                            e);
                }
            }
            sleep(100);
        }
    }

    private boolean startedSince(long offset) throws IOException {
        byte[] log = Files.readAllBytes(logFile);
        return new String(
                        log,
                        (int) Math.min(offset, log.length),
                        (int) Math.max(0, log.length - offset),
                        StandardCharsets.UTF_8)
                .contains(STARTED_LINE);
    }

    private String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    private static void write(Path file, String... lines) throws IOException {
        write(file, List.of(lines));
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Trino to start", e);
        }
    }
}
