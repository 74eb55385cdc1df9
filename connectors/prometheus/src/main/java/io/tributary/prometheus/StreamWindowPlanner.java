package io.tributary.prometheus;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;

/**
 * The time arithmetic of the streaming source. Offsets are grid times: multiples of {@code step} counted from the
 * Unix epoch, so that they mean the same thing after a restart however {@code start} was written ({@code now-1h}
 * evaluates differently each time). A batch reads the grid points in {@code [previous offset, offset)}: consecutive
 * batches share no point and leave none out.
 */
final class StreamWindowPlanner implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long stepMillis;
    private final long latenessMillis;
    private final long maxBatchPoints;

    StreamWindowPlanner(Duration step, Duration lateness, Duration maxBatchDuration) {
        this.stepMillis = step.toMillis();
        this.latenessMillis = lateness.toMillis();
        this.maxBatchPoints = Math.max(1, maxBatchDuration.toMillis() / stepMillis);
    }

    long stepMillis() {
        return stepMillis;
    }

    /** The most grid points one batch reads: {@code maxBatchDuration} in whole steps. */
    long maxBatchPoints() {
        return maxBatchPoints;
    }

    /** The stream's first offset: {@code start} itself when on the grid, else the next grid time after it. */
    long firstOffset(Instant start) {
        return -Math.floorDiv(-start.toEpochMilli(), stepMillis) * stepMillis;
    }

    /**
     * How far a batch may read at {@code now}: the last grid time at or before {@code now - lateness}, exclusive.
     * Every point before it is at least {@code lateness} old, so the samples it takes through the lookback have
     * arrived.
     */
    long availableEnd(Instant now) {
        return Math.floorDiv(now.toEpochMilli() - latenessMillis, stepMillis) * stepMillis;
    }

    /**
     * The end of the batch that starts at {@code startOffset}: {@code availableEnd}, but at most
     * {@code maxBatchDuration} (in whole steps) later, and never before the start (an empty batch is no batch).
     */
    long batchEnd(long startOffset, long availableEnd) {
        long capped = Math.min(availableEnd, startOffset + maxBatchPoints * stepMillis);
        return Math.max(startOffset, capped);
    }

    /** The grid index of an offset, which lies on the grid. */
    long indexOf(long offsetMillis) {
        return offsetMillis / stepMillis;
    }
}
