package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs arrow-bridge's src/test/python/arrow_check.py with real pyarrow, Polars, pandas and DuckDB and parses what it
 * prints.
 */
final class PythonArrowCheck {
    /** From arrow-bridge's directory (its unit tests) or a sibling module's (the integration tests). */
    private static final Path SCRIPT = script();

    /** The README's calls for one file, as arrow_check.py's file-calls mode names them. */
    static final List<String> FILE_CALLS = List.of(
            "pl.read_ipc(f)",
            "pl.read_ipc(f, memory_map=True)",
            "pl.scan_ipc(f)",
            "pa.ipc.open_file(pa.memory_map(f))",
            "pd.read_feather(f, dtype_backend='pyarrow')",
            "duckdb over pa.ipc.open_file");
    /** The README's calls for a whole export directory, as arrow_check.py's directory-calls mode names them. */
    static final List<String> DIRECTORY_CALLS = List.of(
            "pl.scan_ipc(dir/**/*.arrow, hive_partitioning=True)",
            "ds.dataset(dir, format='ipc', partitioning='hive')",
            "pandas over ds.dataset",
            "duckdb over ds.dataset");

    private PythonArrowCheck() {}

    private static Path script() {
        Path own = Path.of("src/test/python/arrow_check.py");
        Path sibling = Path.of("../arrow-bridge/src/test/python/arrow_check.py");
        return (Files.exists(own) ? own : sibling).toAbsolutePath().normalize();
    }

    /**
     * Runs {@code calls} ({@link #FILE_CALLS} or {@link #DIRECTORY_CALLS}) on {@code path} and asserts that each ran
     * without error and returned {@code expected}'s rows, value for value.
     */
    static void assertEveryCallReads(JsonNode expected, List<String> calls, Path path)
            throws IOException, InterruptedException {
        JsonNode results = run(calls.equals(FILE_CALLS) ? "file-calls" : "directory-calls", path);
        List<String> ran = new ArrayList<>();
        results.fieldNames().forEachRemaining(ran::add);
        assertEquals(calls, ran);
        for (String name : calls) {
            JsonNode call = results.get(name);
            assertFalse(call.has("error"), name + ": " + call.path("error").asText());
            try {
                CanonicalRows.assertColumnsEqual(expected, call.get("rows"));
            } catch (AssertionError e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
        }
    }

    static String python() {
        String env = System.getenv("TRIBUTARY_PYTHON");
        if (env != null && !env.isBlank()) {
            return env;
        }
        File venv = new File("/work/main/.venv/bin/python");
        return venv.canExecute() ? venv.getPath() : "python3";
    }

    static JsonNode run(String mode, Path path) throws IOException, InterruptedException {
        Path stdout = Files.createTempFile("arrow-check", ".json");
        Path stderr = Files.createTempFile("arrow-check", ".err");
        try {
            Process p = new ProcessBuilder(List.of(python(), SCRIPT.toString(), mode, path.toString()))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("arrow_check.py " + mode + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "arrow_check.py " + mode + " failed: " + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return new ObjectMapper().readTree(stdout.toFile());
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
