package io.tributary.bench;

import java.util.Locale;

/** The benchmarks' result lines: formatted in the root locale and marked {@code [bench]}, one line each. */
public final class BenchOutput {
    private BenchOutput() {}

    /** Prints one {@code [bench]} line of {@code format} filled with {@code values}. */
    public static void print(String format, Object... values) {
        System.out.printf(Locale.ROOT, "[bench] " + format + "%n", values);
    }
}
