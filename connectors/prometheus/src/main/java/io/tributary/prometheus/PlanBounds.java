package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusDuration;
import java.time.Duration;
import java.time.Instant;

/**
 * How much one read may plan, checked before anything is allocated. Each partition is a Spark task the driver
 * tracks; past about a hundred thousand tasks in one stage the driver spends its memory and time scheduling rather
 * than reading (a plan of millions of partitions kills it). Each range request holds at most 11,000 points per
 * series, Prometheus' own limit, so the bound on partitions also bounds the grid points one read can cover.
 */
final class PlanBounds {
    /** The most partitions one read (or one streaming batch) plans. */
    static final long MAX_PARTITIONS = 100_000L;
    /** The most grid points of one range read: {@link #MAX_PARTITIONS} slices of Prometheus' 11,000 points. */
    static final long MAX_GRID_POINTS = MAX_PARTITIONS * PrometheusSourceOptions.MAX_POINTS_PER_SERIES;
    /** The most remote-read requests of one mode=raw read (its partitions read them one after the other). */
    static final long MAX_REMOTE_READ_REQUESTS = 100_000L;

    private PlanBounds() {}

    /** @throws IllegalArgumentException when {@code start..end} every {@code step} has too many points */
    static void checkGridPoints(Instant start, Instant end, Duration step) {
        long points = (end.toEpochMilli() - start.toEpochMilli()) / step.toMillis() + 1;
        if (points > MAX_GRID_POINTS) {
            throw new IllegalArgumentException("Options '" + PrometheusSourceOptions.START + "' (" + start + "), '"
                    + PrometheusSourceOptions.END + "' (" + end + ") and '" + PrometheusSourceOptions.STEP + "' ("
                    + PrometheusDuration.format(step) + ") make " + points + " grid points; one read takes at most "
                    + MAX_GRID_POINTS + " (" + MAX_PARTITIONS + " partitions of "
                    + PrometheusSourceOptions.MAX_POINTS_PER_SERIES
                    + " points, Prometheus' limit per series and request): raise '" + PrometheusSourceOptions.STEP
                    + "' or shorten the range, and read the rest in another read");
        }
    }

    /**
     * The partitions of a range read over grid indices {@code [firstIndex, endIndex)}, in slices of
     * {@code pointsPerSlice} aligned on multiples of it.
     *
     * @param queriesPerSlice partitions each time slice becomes (the queries in layout=long, else 1)
     */
    static long partitions(long firstIndex, long endIndex, long pointsPerSlice, int queriesPerSlice) {
        if (firstIndex >= endIndex) {
            return 0;
        }
        long sliceStart = Math.floorDiv(firstIndex, pointsPerSlice) * pointsPerSlice;
        long slices = (endIndex - sliceStart + pointsPerSlice - 1) / pointsPerSlice;
        return slices * queriesPerSlice;
    }

    /** @throws IllegalArgumentException when a batch read would plan more than {@link #MAX_PARTITIONS} */
    static void checkPartitions(long partitions, long pointsPerSlice, int queriesPerSlice) {
        if (partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("The read would plan " + partitions + " partitions (time slices of "
                    + pointsPerSlice + " points × " + queriesPerSlice + " queries); at most " + MAX_PARTITIONS
                    + ": raise '"
                    + PrometheusSourceOptions.PARTITION_DURATION + "' (a slice holds up to "
                    + PrometheusSourceOptions.MAX_POINTS_PER_SERIES + " points of '" + PrometheusSourceOptions.STEP
                    + "'), raise '" + PrometheusSourceOptions.STEP + "', shorten the range between '"
                    + PrometheusSourceOptions.START + "' and '" + PrometheusSourceOptions.END
                    + "', or list fewer metrics");
        }
    }

    /** @throws IllegalArgumentException when a batch of a stream may plan more than {@link #MAX_PARTITIONS} */
    static void checkBatchPartitions(long partitions, Duration maxBatchDuration, Duration step) {
        if (partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("Option '" + PrometheusStreamOptions.MAX_BATCH_DURATION + "' ("
                    + PrometheusDuration.format(maxBatchDuration) + ") at '" + PrometheusSourceOptions.STEP + "' "
                    + PrometheusDuration.format(step) + " lets one batch plan " + partitions + " partitions; at most "
                    + MAX_PARTITIONS + ": lower '" + PrometheusStreamOptions.MAX_BATCH_DURATION + "', raise '"
                    + PrometheusSourceOptions.PARTITION_DURATION + "' (up to "
                    + PrometheusSourceOptions.MAX_POINTS_PER_SERIES
                    + " points of step a slice) or raise '" + PrometheusSourceOptions.STEP + "'");
        }
    }

    /** @throws IllegalArgumentException when a mode=raw read would send more than the allowed requests */
    static void checkRemoteReadRequests(long requests, long requestMillis) {
        if (requests > MAX_REMOTE_READ_REQUESTS) {
            throw new IllegalArgumentException("The mode=raw read would send " + requests + " remote-read requests of "
                    + PrometheusDuration.format(Duration.ofMillis(requestMillis)) + " each; at most "
                    + MAX_REMOTE_READ_REQUESTS
                    + ": raise '" + PrometheusSourceOptions.PARTITION_DURATION
                    + "' (the time range of one request, up to "
                    + PrometheusDuration.format(PrometheusDuration.MAX_PLAN_DURATION)
                    + ") or shorten the range between '"
                    + PrometheusSourceOptions.START + "' and '" + PrometheusSourceOptions.END + "'");
        }
    }
}
