package io.tributary.testing.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Turns an OpenMetrics file into TSDB blocks with {@code promtool tsdb create-blocks-from openmetrics}, one run per
 * 2-hour slice of the file ({@link OpenMetricsBlockSplitter} says why), and skips all that when the data directory
 * already holds blocks made from a byte-identical file: the file's SHA-256 is recorded next to the data directory
 * once promtool has succeeded.
 */
final class TsdbBackfill {
    static final String MARKER_FILE = "backfill.sha256";
    /** Where the per-block slices of the history go while promtool runs (next to the data directory). */
    static final String CHUNK_DIR = "backfill-slices";

    private static final long PROMTOOL_TIMEOUT_MINUTES = 30;

    private TsdbBackfill() {}

    /**
     * Makes {@code dataDir} hold exactly the blocks of {@code openMetricsFile}.
     *
     * @return true when existing blocks were reused, false when promtool ran
     */
    static boolean ensureBlocks(Path openMetricsFile, Path dataDir, Path logFile) throws IOException {
        if (!Files.isRegularFile(openMetricsFile)) {
            throw new IllegalArgumentException("openMetricsFile must be an existing file, got " + openMetricsFile);
        }
        Path marker = markerFor(dataDir);
        String hash = sha256(openMetricsFile);
        if (Files.isRegularFile(marker) && hash.equals(Files.readString(marker).trim()) && hasBlocks(dataDir)) {
            return true;
        }
        // Remove the marker first: an interrupted backfill must never look reusable.
        Files.deleteIfExists(marker);
        deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        runPromtool(openMetricsFile, dataDir, logFile);
        Files.writeString(marker, hash + "\n");
        return false;
    }

    /** Forgets that {@code dataDir} matches a history, e.g. because a server scraped new samples into it. */
    static void invalidate(Path dataDir) throws IOException {
        Files.deleteIfExists(markerFor(dataDir));
    }

    static Path markerFor(Path dataDir) {
        return dataDir.toAbsolutePath().resolveSibling(MARKER_FILE);
    }

    private static void runPromtool(Path openMetricsFile, Path dataDir, Path logFile) throws IOException {
        Path chunkDir = dataDir.toAbsolutePath().resolveSibling(CHUNK_DIR);
        deleteRecursively(chunkDir);
        Files.deleteIfExists(logFile);
        List<Path> chunks = OpenMetricsBlockSplitter.split(openMetricsFile, chunkDir);
        if (chunks.isEmpty()) {
            runPromtoolOn(openMetricsFile, openMetricsFile, dataDir, logFile);
        } else {
            for (Path chunk : chunks) {
                runPromtoolOn(chunk, openMetricsFile, dataDir, logFile);
            }
        }
        deleteRecursively(chunkDir);
    }

    private static void runPromtoolOn(Path input, Path history, Path dataDir, Path logFile) throws IOException {
        List<String> command = List.of(
                PrometheusBinaries.promtool().toString(),
                "tsdb",
                "create-blocks-from",
                "openmetrics",
                input.toAbsolutePath().toString(),
                dataDir.toAbsolutePath().toString());
        String what = String.join(" ", command) + (input.equals(history) ? "" : " (a 2-hour slice of " + history + ")");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        try {
            if (!process.waitFor(PROMTOOL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("promtool did not finish within " + PROMTOOL_TIMEOUT_MINUTES
                        + " minutes: " + what + "\n" + ProcessLogs.tail(logFile, 40));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running promtool", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("promtool failed with exit code " + process.exitValue() + ": " + what + "\n"
                    + ProcessLogs.tail(logFile, 40));
        }
    }

    private static boolean hasBlocks(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.anyMatch(p -> Files.isRegularFile(p.resolve("meta.json")));
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
