package io.tributary.bench;

import java.util.Arrays;

/** The median the benchmarks report: of an odd number of runs the middle one; of an even number the upper middle. */
public final class Median {
    private Median() {}

    public static double of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to take the median of");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
