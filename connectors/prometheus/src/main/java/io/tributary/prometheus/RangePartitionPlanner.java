package io.tributary.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a read into slices. Slice boundaries sit at multiples of the slice length counted from the global grid's
 * first point, so that pushdown narrowing never shifts them; each slice stays under Prometheus' 11,000 points
 * per series. layout=long reads one query per slice (slices × metrics); layout=wide reads all metrics of one time
 * slice together, to join them without a shuffle.
 */
final class RangePartitionPlanner {
    private RangePartitionPlanner() {}

    /** Smallest slice the automatic choice makes: below this, per-request overhead outweighs parallelism. */
    static final long MIN_AUTO_POINTS = 360;

    static final long AUTO_MAX_SLICE_MILLIS = 86_400_000L;

    static long pointsPerSlice(long partitionMillis, long stepMillis) {
        long points = Math.max(1, partitionMillis / stepMillis);
        return Math.min(points, PrometheusSourceOptions.MAX_POINTS_PER_SERIES);
    }

    /**
     * The slice length when {@code partitionDuration} is not set: at most a day, but short enough that the read
     * makes at least two partitions per task slot (so that no slot idles while one long slice finishes), and never
     * shorter than {@link #MIN_AUTO_POINTS} points.
     *
     * @param points grid points left to read
     * @param queriesPerSlice partitions each time slice becomes (metrics in layout=long, else 1)
     * @param parallelism Spark's task slots
     */
    static long autoPointsPerSlice(long points, long stepMillis, int queriesPerSlice, int parallelism) {
        long daily = pointsPerSlice(AUTO_MAX_SLICE_MILLIS, stepMillis);
        long wantedSlices = Math.max(1, ceilDiv(2L * parallelism, Math.max(1, queriesPerSlice)));
        long forParallelism = Math.max(MIN_AUTO_POINTS, ceilDiv(Math.max(points, 1), wantedSlices));
        return Math.min(daily, forParallelism);
    }

    /**
     * The slice length of a plan: {@code partitionDuration} when set (null: automatic), in points.
     *
     * @param parallelism Spark's task slots, for the automatic choice
     */
    static long pointsPerSlice(Duration partitionDuration, RangeReadPlan plan, int parallelism) {
        long stepMillis = plan.grid().stepMillis();
        return partitionDuration != null
                ? pointsPerSlice(partitionDuration.toMillis(), stepMillis)
                : autoPointsPerSlice(
                        plan.endIndex() - plan.firstIndex(), stepMillis, queriesPerSlice(plan), parallelism);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Partitions each time slice of a plan becomes: one per query in layout=long, one in layout=wide. */
    static int queriesPerSlice(RangeReadPlan plan) {
        return plan.layout() == Layout.LONG ? plan.queries().size() : 1;
    }

    /**
     * @throws IllegalArgumentException when the plan would have more than {@link PlanBounds#MAX_PARTITIONS}
     *     partitions, before any is allocated
     */
    static List<RangeQuerySlice> plan(RangeReadPlan plan, long pointsPerSlice) {
        List<RangeQuerySlice> slices = new ArrayList<>();
        if (plan.firstIndex() >= plan.endIndex() || plan.queries().isEmpty()) {
            return slices;
        }
        int queriesPerSlice = queriesPerSlice(plan);
        PlanBounds.checkPartitions(
                PlanBounds.partitions(plan.firstIndex(), plan.endIndex(), pointsPerSlice, queriesPerSlice),
                pointsPerSlice,
                queriesPerSlice);
        boolean oneQueryPerSlice = plan.layout() == Layout.LONG;
        long sliceStart = Math.floorDiv(plan.firstIndex(), pointsPerSlice) * pointsPerSlice;
        for (long from = sliceStart; from < plan.endIndex(); from += pointsPerSlice) {
            long first = Math.max(from, plan.firstIndex());
            long end = Math.min(from + pointsPerSlice, plan.endIndex());
            if (oneQueryPerSlice) {
                for (int query = 0; query < plan.queries().size(); query++) {
                    slices.add(new RangeQuerySlice(query, first, end));
                }
            } else {
                slices.add(new RangeQuerySlice(RangeQuerySlice.ALL_QUERIES, first, end));
            }
        }
        return slices;
    }
}
