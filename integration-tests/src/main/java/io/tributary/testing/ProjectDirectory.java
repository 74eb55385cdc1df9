package io.tributary.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checkout's root directory, found from the working directory, so that tests, fixtures and benchmarks name
 * files of the checkout (the virtualenv, scripts) without machine paths. Failsafe runs in {@code integration-tests/},
 * the benchmarks' unit tests in {@code integration-tests/benchmarks/}, and {@code dev/*} scripts at the root.
 */
public final class ProjectDirectory {
    /** A file only the checkout's root has. */
    private static final String MARKER = "dev/spark-submit";

    private ProjectDirectory() {}

    /** The root of the checkout that holds the working directory. */
    public static Path root() {
        return rootAbove(Path.of("").toAbsolutePath());
    }

    /**
     * The nearest directory at or above {@code start} that holds {@code dev/spark-submit}.
     *
     * @throws IllegalStateException when there is none: the code runs outside a Tributary checkout
     */
    static Path rootAbove(Path start) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MARKER))) {
                return dir;
            }
        }
        throw new IllegalStateException("No Tributary checkout (a directory with " + MARKER + ") at or above " + start
                + "; run the tests and benchmarks from inside the checkout");
    }
}
