package io.tributary.arrow;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs src/test/python/arrow_check.py with real pyarrow and Polars and parses what it prints. */
final class PythonArrowCheck {
    private static final Path SCRIPT = Path.of("src/test/python/arrow_check.py").toAbsolutePath();

    private PythonArrowCheck() {
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
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("arrow_check.py " + mode + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("arrow_check.py " + mode + " failed: "
                        + Files.readString(stderr, StandardCharsets.UTF_8));
            }
            return new ObjectMapper().readTree(stdout.toFile());
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
