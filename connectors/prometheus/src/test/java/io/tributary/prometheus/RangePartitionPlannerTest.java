package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangePartitionPlannerTest {
    private static final long MINUTE = 60_000;

    private static RangeReadPlan plan(Layout layout, TimeGrid grid, long first, long end, int queries) {
        List<String> texts = queries == 1 ? List.of("a") : List.of("a", "b");
        return new RangeReadPlan(
                null,
                layout,
                grid,
                first,
                end,
                texts,
                layout == Layout.WIDE ? texts : List.of(),
                List.of(),
                new StructType(),
                1000,
                null);
    }

    @Test
    void gridIncludesBothEnds() {
        TimeGrid grid = new TimeGrid(0, 10 * MINUTE, MINUTE);
        assertEquals(11, grid.pointCount());
        assertEquals(10 * MINUTE, grid.timestampMillis(10));
        assertEquals(10, new TimeGrid(0, 10 * MINUTE - 1, MINUTE).pointCount(), "end off the grid is not a point");
    }

    @Test
    void slicesAreEndExclusiveOnTheGlobalGrid() {
        TimeGrid grid = new TimeGrid(0, 10 * MINUTE, MINUTE);
        List<RangeQuerySlice> slices = RangePartitionPlanner.plan(plan(Layout.WIDE, grid, 0, 11, 2), 4);
        assertEquals(
                List.of(new RangeQuerySlice(-1, 0, 4), new RangeQuerySlice(-1, 4, 8), new RangeQuerySlice(-1, 8, 11)),
                slices);
    }

    @Test
    void longLayoutReadsSlicesTimesMetrics() {
        TimeGrid grid = new TimeGrid(0, 5 * MINUTE, MINUTE);
        List<RangeQuerySlice> slices = RangePartitionPlanner.plan(plan(Layout.LONG, grid, 0, 6, 2), 3);
        assertEquals(
                List.of(
                        new RangeQuerySlice(0, 0, 3),
                        new RangeQuerySlice(1, 0, 3),
                        new RangeQuerySlice(0, 3, 6),
                        new RangeQuerySlice(1, 3, 6)),
                slices);
    }

    @Test
    void narrowedRangeKeepsSliceBoundaries() {
        TimeGrid grid = new TimeGrid(0, 100 * MINUTE, MINUTE);
        List<RangeQuerySlice> slices = RangePartitionPlanner.plan(plan(Layout.LONG, grid, 15, 31, 1), 10);
        assertEquals(
                List.of(new RangeQuerySlice(0, 15, 20), new RangeQuerySlice(0, 20, 30), new RangeQuerySlice(0, 30, 31)),
                slices);
        assertEquals(List.of(), RangePartitionPlanner.plan(plan(Layout.LONG, grid, 31, 31, 1), 10));
    }

    @Test
    void slicesStayUnderElevenThousandPoints() {
        assertEquals(5760, RangePartitionPlanner.pointsPerSlice(86_400_000L, 15_000L));
        assertEquals(11_000, RangePartitionPlanner.pointsPerSlice(7 * 86_400_000L, 15_000L));
        assertEquals(1, RangePartitionPlanner.pointsPerSlice(1_000L, 15_000L));
    }

    @Test
    void automaticSlicesMakeTwoPartitionsPerTaskSlot() {
        long threeDays = 3 * 5760;
        assertEquals(
                5760,
                RangePartitionPlanner.autoPointsPerSlice(threeDays, 15_000L, 4, 2),
                "3 days x 4 metrics = 12 partitions already feed 2 slots twice: one-day slices");
        assertEquals(
                4320,
                RangePartitionPlanner.autoPointsPerSlice(threeDays, 15_000L, 1, 2),
                "wide layout: 4 slices for 2 slots");
        assertEquals(
                360,
                RangePartitionPlanner.autoPointsPerSlice(480, 15_000L, 1, 8),
                "never below 360 points per request");
        assertEquals(1440, RangePartitionPlanner.autoPointsPerSlice(100_000, 60_000L, 1, 2), "never above a day");
    }

    @Test
    void timeBoundsSnapToTheGrid() {
        TimeGrid grid = new TimeGrid(60_000, 600_000, 60_000);
        long minute = 60_000_000L;
        assertEquals(0, grid.firstIndexFrom(0, false));
        assertEquals(1, grid.firstIndexFrom(2 * minute, false));
        assertEquals(2, grid.firstIndexFrom(2 * minute, true));
        assertEquals(2, grid.firstIndexFrom(2 * minute + 1, false));
        assertEquals(2, grid.endIndexUpTo(2 * minute, false));
        assertEquals(1, grid.endIndexUpTo(2 * minute, true));
        assertEquals(2, grid.endIndexUpTo(3 * minute - 1, true));
        assertEquals(0, grid.endIndexUpTo(0, false));
        assertEquals(10, grid.endIndexUpTo(100 * minute, false));
    }

    /** 100,000 partitions is the most a plan makes: exactly that many is planned, one more is refused. */
    @ParameterizedTest(name = "layout={0}, points={1}")
    @CsvSource({"WIDE, 1100000000, 100000", "LONG, 550000000, 100000"})
    void aPlanOfTheMostPartitionsIsMade(Layout layout, long points, int partitions) {
        TimeGrid grid = new TimeGrid(0, points - 1, 1);
        assertEquals(
                partitions,
                RangePartitionPlanner.plan(plan(layout, grid, 0, points, 2), 11_000)
                        .size());
    }

    @ParameterizedTest(name = "layout={0}, points={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "WIDE | 1100000001 | The read would plan 100001 partitions (time slices of 11000 points × 1 queries)",
                "LONG | 550000001 | The read would plan 100002 partitions (time slices of 11000 points × 2 queries)",
                "LONG | 100000000000000 | The read would plan 18181818182 partitions (time slices of 11000 points × 2 queries)"
            })
    void aPlanOfMorePartitionsIsRefusedBeforeAnyIsAllocated(Layout layout, long points, String start) {
        TimeGrid grid = new TimeGrid(0, points - 1, 1);
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> RangePartitionPlanner.plan(plan(layout, grid, 0, points, 2), 11_000))
                .getMessage();
        assertEquals(
                start + "; at most 100000: raise 'partitionDuration' (a slice holds up to 11000 points of"
                        + " 'step'), raise 'step', shorten the range between 'start' and 'end', or list fewer metrics",
                message);
    }
}
