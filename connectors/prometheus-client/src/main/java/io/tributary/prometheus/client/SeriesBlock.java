package io.tributary.prometheus.client;

import java.util.Map;

/**
 * The points of one series in one response, in time order: its labels (including {@code __name__}) and parallel
 * arrays. A point is a float sample ({@link #histogram} null) or a native histogram ({@link #value} unused).
 */
public final class SeriesBlock {
    private final Map<String, String> labels;
    private final long[] timestampsMillis;
    private final double[] values;
    /** Null when the block holds float samples only. */
    private final NativeHistogram[] histograms;

    private final int size;

    public SeriesBlock(Map<String, String> labels, long[] timestampsMillis, double[] values, int size) {
        this(labels, timestampsMillis, values, null, size);
    }

    /** {@code histograms[i]} is null for a float sample; the array may be null if there are no histograms. */
    SeriesBlock(
            Map<String, String> labels,
            long[] timestampsMillis,
            double[] values,
            NativeHistogram[] histograms,
            int size) {
        this.labels = labels;
        this.timestampsMillis = timestampsMillis;
        this.values = values;
        this.histograms = histograms;
        this.size = size;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public int size() {
        return size;
    }

    public long timestampMillis(int i) {
        return timestampsMillis[i];
    }

    public double value(int i) {
        return values[i];
    }
    /** The histogram of point {@code i}, or null when that point is a float sample. */
    public NativeHistogram histogram(int i) {
        return histograms == null ? null : histograms[i];
    }
}
