package io.tributary.prometheus.remoteread;

import io.tributary.prometheus.client.PrometheusAnswerException;
import io.tributary.prometheus.client.SeriesBlock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Collects the raw samples of one series as they are decoded and turns them into a {@link SeriesBlock}. It keeps
 * only the samples of the requested range (chunks hold samples outside it) and drops Prometheus' staleness
 * markers: a stale marker is not a sample but the note that a series ended, and {@code /api/v1/query} with a
 * range selector ({@code metric[1h]}) leaves them out too. Ordinary NaN samples are kept.
 */
public final class RawSeriesCollector {
    /** Prometheus' staleness marker (pkg/value: StaleNaN), a NaN with this exact bit pattern. */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    private final long fromMillis;
    private final long toMillis;
    private final long maxSamples;
    private long collected;
    private long[] timestamps = new long[256];
    private double[] values = new double[256];
    private int size;

    /** Keeps samples with {@code fromMillis <= timestamp <= toMillis}, any number of them. */
    RawSeriesCollector(long fromMillis, long toMillis) {
        this(fromMillis, toMillis, Long.MAX_VALUE);
    }

    /**
     * Keeps samples with {@code fromMillis <= timestamp <= toMillis}; more than {@code maxSamples} of them over
     * all series throw {@link TooManySamplesException}, so that one answer cannot exhaust the executor's memory.
     */
    RawSeriesCollector(long fromMillis, long toMillis, long maxSamples) {
        this.fromMillis = fromMillis;
        this.toMillis = toMillis;
        this.maxSamples = maxSamples;
    }

    long fromMillis() {
        return fromMillis;
    }

    long toMillis() {
        return toMillis;
    }

    void add(long timestampMillis, double value) {
        if (timestampMillis < fromMillis
                || timestampMillis > toMillis
                || Double.doubleToRawLongBits(value) == STALE_NAN_BITS) {
            return;
        }
        if (++collected > maxSamples) {
            throw new TooManySamplesException(maxSamples);
        }
        if (size == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        timestamps[size] = timestampMillis;
        values[size] = value;
        size++;
    }

    /** Adds the collected samples as one block of {@code labels} (none when empty) and starts over. */
    void flushInto(Map<String, String> labels, List<SeriesBlock> out) {
        if (size > 0) {
            out.add(new SeriesBlock(labels, Arrays.copyOf(timestamps, size), Arrays.copyOf(values, size), size));
        }
        size = 0;
    }

    /**
     * The failure for a series holding native histograms, which remote read returns in encodings of their own:
     * failing names the series and the way to read it, where skipping would silently drop it.
     *
     * @param found what the answer holds, for the message ("chunks of encoding 2")
     */
    static PrometheusAnswerException histogramsNotRead(Map<String, String> labels, String found) {
        return new PrometheusAnswerException("Series " + labels + " holds native histograms (" + found + "), which"
                + " mode=raw does not read: it reads float samples only. Read this series with mode=range, whose"
                + " layout=long returns native histograms in its 'histogram' column");
    }

    /** An answer holds more samples than the budget; the caller asks again for a shorter time range. */
    public static final class TooManySamplesException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManySamplesException(long maxSamples) {
            super("a remote-read answer holds more than " + maxSamples + " samples");
        }
    }
}
