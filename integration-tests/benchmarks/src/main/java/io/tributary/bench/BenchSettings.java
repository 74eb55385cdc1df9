package io.tributary.bench;

import java.nio.file.Path;
import java.util.Map;

/** The benchmarks' settings from environment variables ({@code BENCH_ROUNDS=5}), checked once. */
public final class BenchSettings {
    private BenchSettings() {}

    /**
     * The variable's value as a count of at least 1, or {@code defaultValue} when it is unset.
     *
     * @throws IllegalArgumentException naming the variable, when it is not a whole number of at least 1
     */
    public static int positiveCount(Map<String, String> environment, String name, int defaultValue) {
        return count(environment, name, defaultValue, 1);
    }

    /**
     * The variable's value as a count of at least 0 (0 turns something off), or {@code defaultValue} when unset.
     *
     * @throws IllegalArgumentException naming the variable, when it is not a whole number of at least 0
     */
    public static int count(Map<String, String> environment, String name, int defaultValue) {
        return count(environment, name, defaultValue, 0);
    }

    private static int count(Map<String, String> environment, String name, int defaultValue, int least) {
        String text = environment.get(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= least) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                name + " must be a whole number of at least " + least + ", but was '" + text + "'");
    }

    /**
     * The directory the benchmarks keep generated inputs in between runs: {@code BENCH_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/tributary-bench}, else {@code ~/.cache/tributary-bench}.
     */
    public static Path cacheDirectory(Map<String, String> environment, Path home) {
        String configured = environment.get("BENCH_CACHE_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.strip());
        }
        String xdg = environment.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg.strip()) : home.resolve(".cache");
        return base.resolve("tributary-bench");
    }
}
