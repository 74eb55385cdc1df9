package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamWindowPlannerTest {
    private static final StreamWindowPlanner PLANNER =
            new StreamWindowPlanner(Duration.ofSeconds(15), Duration.ofMinutes(1), Duration.ofMinutes(10));

    private static long millis(String time) {
        return Instant.parse(time).toEpochMilli();
    }

    @Test
    void theFirstOffsetIsStartSnappedUpToTheEpochGrid() {
        assertEquals(millis("2023-01-01T11:00:00Z"), PLANNER.firstOffset(Instant.parse("2023-01-01T11:00:00Z")));
        assertEquals(millis("2023-01-01T11:00:15Z"), PLANNER.firstOffset(Instant.parse("2023-01-01T11:00:00.001Z")));
        assertEquals(millis("2023-01-01T11:00:15Z"), PLANNER.firstOffset(Instant.parse("2023-01-01T11:00:07Z")));
    }

    @Test
    void windowsEndAtTheLastGridTimeLatenessBeforeNow() {
        assertEquals(millis("2023-01-01T11:59:00Z"), PLANNER.availableEnd(Instant.parse("2023-01-01T12:00:07Z")));
        assertEquals(millis("2023-01-01T11:59:00Z"), PLANNER.availableEnd(Instant.parse("2023-01-01T12:00:14.999Z")));
        assertEquals(
                millis("2023-01-01T11:59:15Z"),
                PLANNER.availableEnd(Instant.parse("2023-01-01T12:00:15Z")),
                "a grid time exactly lateness ago is the exclusive end: its point waits for the next batch");
    }

    @Test
    void aBatchReadsAtMostMaxBatchDurationAndNeverGoesBack() {
        long start = millis("2023-01-01T11:00:00Z");
        assertEquals(millis("2023-01-01T11:10:00Z"), PLANNER.batchEnd(start, millis("2023-01-01T11:59:00Z")));
        assertEquals(millis("2023-01-01T11:04:45Z"), PLANNER.batchEnd(start, millis("2023-01-01T11:04:45Z")));
        assertEquals(start, PLANNER.batchEnd(start, start), "nothing new: the same offset, so no batch");
        assertEquals(start, PLANNER.batchEnd(start, millis("2023-01-01T10:58:00Z")), "start ahead of now - lateness");
    }

    @Test
    void maxBatchDurationIsRoundedDownToWholeSteps() {
        StreamWindowPlanner planner =
                new StreamWindowPlanner(Duration.ofSeconds(15), Duration.ofMinutes(1), Duration.ofSeconds(40));
        long start = millis("2023-01-01T11:00:00Z");
        assertEquals(millis("2023-01-01T11:00:30Z"), planner.batchEnd(start, millis("2023-01-01T12:00:00Z")));
    }

    @Test
    void offsetsAreGridIndicesFromTheEpoch() {
        assertEquals(111504720L, PLANNER.indexOf(millis("2023-01-01T11:00:00Z")));
        assertEquals(111504721L, PLANNER.indexOf(millis("2023-01-01T11:00:15Z")));
    }
}
