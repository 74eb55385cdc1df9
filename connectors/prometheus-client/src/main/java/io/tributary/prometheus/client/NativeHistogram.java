package io.tributary.prometheus.client;

import java.util.Arrays;

/**
 * One native-histogram point as {@code /api/v1/query_range} writes it under {@code "histograms"}: the observation
 * count, their sum, and the populated buckets, each with its boundary rule (which ends it includes), lower and
 * upper boundary and count. Prometheus leaves out empty buckets (and the whole {@code "buckets"} member when all
 * are empty), so a histogram of a quiet interval (a {@code rate} of 0) has no bucket.
 */
public final class NativeHistogram {
    /** Boundary rules as Prometheus' JSON numbers them. */
    static final int OPEN_LEFT = 0;

    static final int OPEN_RIGHT = 1;
    static final int OPEN_BOTH = 2;
    static final int CLOSED_BOTH = 3;

    private final double count;
    private final double sum;
    private final int[] boundaryRules;
    private final double[] lowers;
    private final double[] uppers;
    private final double[] counts;

    /** Takes the arrays as they are (one element per bucket, {@code bucketCount} of them used). */
    NativeHistogram(
            double count,
            double sum,
            int[] boundaryRules,
            double[] lowers,
            double[] uppers,
            double[] counts,
            int bucketCount) {
        this.count = count;
        this.sum = sum;
        this.boundaryRules = Arrays.copyOf(boundaryRules, bucketCount);
        this.lowers = Arrays.copyOf(lowers, bucketCount);
        this.uppers = Arrays.copyOf(uppers, bucketCount);
        this.counts = Arrays.copyOf(counts, bucketCount);
    }

    public double count() {
        return count;
    }

    public double sum() {
        return sum;
    }

    public int buckets() {
        return counts.length;
    }

    public int boundaryRule(int bucket) {
        return boundaryRules[bucket];
    }

    public double lower(int bucket) {
        return lowers[bucket];
    }

    public double upper(int bucket) {
        return uppers[bucket];
    }

    public double bucketCount(int bucket) {
        return counts[bucket];
    }

    /** Whether {@code rule} is one of the four boundary rules. */
    static boolean isBoundaryRule(long rule) {
        return rule >= OPEN_LEFT && rule <= CLOSED_BOTH;
    }
}
