package io.tributary.testing.prometheus;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the {@code prometheus} and {@code promtool} executables: {@code PROMETHEUS_BIN} / {@code PROMTOOL_BIN}
 * when set, else the first match on {@code PATH}.
 */
final class PrometheusBinaries {
    private PrometheusBinaries() {}

    static Path prometheus() {
        return resolve("prometheus", "PROMETHEUS_BIN");
    }

    static Path promtool() {
        return resolve("promtool", "PROMTOOL_BIN");
    }

    private static Path resolve(String name, String envVariable) {
        String explicit = System.getenv(envVariable);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException(
                        envVariable + "=" + explicit + " is not an executable file; unset it to use " + name
                                + " from PATH, or run dev/install-deps (apt-get install prometheus)");
            }
            return path;
        }
        String searchPath = System.getenv().getOrDefault("PATH", "");
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found: " + envVariable + " is unset and no " + name
                + " is on PATH; run dev/install-deps (apt-get install prometheus)");
    }
}
