package io.tributary.prometheus;

import java.io.Serializable;

/**
 * The global evaluation grid {@code start + k*step}, {@code k = 0..pointCount-1}, of a range read. Prometheus
 * evaluates {@code query_range} at every grid point {@code <= end}, both ends included; cutting the range into
 * slices of whole grid indices, end-exclusive, is what keeps slice boundaries from being read twice or lost.
 */
final class TimeGrid implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long startMillis;
    private final long stepMillis;
    private final long pointCount;

    TimeGrid(long startMillis, long endMillis, long stepMillis) {
        if (stepMillis <= 0 || endMillis < startMillis) {
            throw new IllegalArgumentException("bad grid " + startMillis + ".." + endMillis + " step " + stepMillis);
        }
        this.startMillis = startMillis;
        this.stepMillis = stepMillis;
        this.pointCount = (endMillis - startMillis) / stepMillis + 1;
    }

    long startMillis() {
        return startMillis;
    }

    long stepMillis() {
        return stepMillis;
    }

    long pointCount() {
        return pointCount;
    }

    long timestampMillis(long index) {
        return startMillis + index * stepMillis;
    }

    /** The index of a grid timestamp (milliseconds); the caller guarantees it lies on the grid. */
    long indexOf(long timestampMillis) {
        return (timestampMillis - startMillis) / stepMillis;
    }

    /** The first index whose timestamp is {@code >= micros} (or {@code > micros} when exclusive), clamped. */
    long firstIndexFrom(long micros, boolean exclusive) {
        long offset = micros - startMillis * 1000;
        long stepMicros = stepMillis * 1000;
        long index = offset <= 0 ? 0 : ceilDiv(offset, stepMicros);
        if (exclusive && offset >= 0 && offset % stepMicros == 0 && index == offset / stepMicros) {
            index++;
        }
        return Math.min(index, pointCount);
    }

    /** One past the last index whose timestamp is {@code <= micros} (or {@code < micros} when exclusive), clamped. */
    long endIndexUpTo(long micros, boolean exclusive) {
        long offset = micros - startMillis * 1000;
        if (offset < 0) {
            return 0;
        }
        long stepMicros = stepMillis * 1000;
        long index = offset / stepMicros;
        boolean onGrid = offset % stepMicros == 0;
        long end = exclusive && onGrid ? index : index + 1;
        return Math.min(end, pointCount);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
