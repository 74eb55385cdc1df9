package io.tributary.bench;

import java.util.Map;

/** The benchmarks' settings from environment variables ({@code BENCH_ROUNDS=5}), checked once. */
public final class BenchSettings {
    private BenchSettings() {
    }

    /**
     * The variable's value as a count of at least 1, or {@code defaultValue} when it is unset.
     *
     * @throws IllegalArgumentException naming the variable, when it is not a whole number of at least 1
     */
    public static int positiveCount(Map<String, String> environment, String name, int defaultValue) {
        String text = environment.get(name);
        if (text == null || text.isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(name + " must be a whole number of at least 1, but was '" + text + "'");
    }
}
