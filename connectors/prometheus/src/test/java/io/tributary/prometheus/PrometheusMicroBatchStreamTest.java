package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.prometheus.client.PrometheusDuration;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The stream's offsets and windows with an injected clock: no Spark session, no server. */
class PrometheusMicroBatchStreamTest {
    /** A clock the test moves. */
    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(String now) {
            this.now = Instant.parse(now);
        }

        void set(String time) {
            now = Instant.parse(time);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static Map<String, String> options() {
        Map<String, String> options = new HashMap<>();
        options.put("url", "http://127.0.0.1:9090");
        options.put("metrics", "a,b");
        options.put("start", "2023-01-01T11:00:07Z");
        options.put("step", "15s");
        options.put("lateness", "1m");
        options.put("maxBatchDuration", "10m");
        return options;
    }

    private static PrometheusMicroBatchStream stream(Map<String, String> options, SettableClock clock) {
        PrometheusSourceOptions parsed = PrometheusSourceOptions.from(options, Map.of(), clock);
        RangeReadPlan scanPlan = new RangeReadPlan(
                parsed.connection(),
                parsed.layout(),
                new TimeGrid(0, 0, 15_000),
                0,
                1,
                List.of("a", "b"),
                List.of(),
                List.of(),
                new StructType(),
                1000,
                parsed.answers());
        return PrometheusMicroBatchStream.of(parsed, scanPlan, 2, clock);
    }

    private static String json(String time) {
        return "{\"timestampMillis\":" + Instant.parse(time).toEpochMilli() + ",\"stepMillis\":15000}";
    }

    private static List<RangeQuerySlice> slices(InputPartition[] partitions) {
        return Arrays.stream(partitions)
                .map(partition -> ((RangePartition) partition).slice())
                .collect(Collectors.toList());
    }

    private static RangeQuerySlice slice(int query, long firstIndex, long endIndex) {
        return new RangeQuerySlice(query, firstIndex, endIndex);
    }

    @Test
    void batchesFollowTheClockWithoutOverlapOrHoles() {
        SettableClock clock = new SettableClock("2023-01-01T11:05:07Z");
        PrometheusMicroBatchStream stream = stream(options(), clock);
        Offset first = stream.initialOffset();
        assertEquals(json("2023-01-01T11:00:15Z"), first.json(), "start snapped up to the 15 s grid");

        Offset second = stream.latestOffset(first, stream.getDefaultReadLimit());
        assertEquals(json("2023-01-01T11:04:00Z"), second.json(), "11:05:07 - 1m, down to the grid");
        assertEquals(second, stream.latestOffset(first, ReadLimit.allAvailable()), "the same clock, the same end");

        clock.set("2023-01-01T11:05:20Z");
        Offset third = stream.latestOffset(second, stream.getDefaultReadLimit());
        assertEquals(json("2023-01-01T11:04:15Z"), third.json(), "one more point has aged past lateness");
        assertEquals(third, stream.latestOffset(third, stream.getDefaultReadLimit()), "nothing new: no batch");
    }

    @Test
    void aBatchIsAtMostMaxBatchDurationAndItsSlicesCoverItsWindowOnce() {
        SettableClock clock = new SettableClock("2023-01-01T13:00:00Z");
        Map<String, String> options = options();
        options.put("start", "2023-01-01T11:00:00Z");
        options.put("partitionDuration", "5m");
        PrometheusMicroBatchStream stream = stream(options, clock);
        Offset start = stream.initialOffset();
        Offset end = stream.latestOffset(start, stream.getDefaultReadLimit());
        assertEquals(json("2023-01-01T11:10:00Z"), end.json());
        // 11:00 is grid index 111504720 (15 s steps since the epoch); 5-minute slices of 20 points, both metrics.
        assertEquals(
                List.of(
                        slice(0, 111504720, 111504740),
                        slice(1, 111504720, 111504740),
                        slice(0, 111504740, 111504760),
                        slice(1, 111504740, 111504760)),
                slices(stream.planInputPartitions(start, end)));
        Offset next = stream.latestOffset(end, stream.getDefaultReadLimit());
        assertEquals(json("2023-01-01T11:20:00Z"), next.json());
        assertEquals(
                List.of(
                        slice(0, 111504760, 111504780),
                        slice(1, 111504760, 111504780),
                        slice(0, 111504780, 111504800),
                        slice(1, 111504780, 111504800)),
                slices(stream.planInputPartitions(end, next)));
        assertEquals(List.of(), slices(stream.planInputPartitions(next, next)));
    }

    @Test
    void availableNowStopsAtTheEndFixedWhenItWasPrepared() {
        SettableClock clock = new SettableClock("2023-01-01T11:25:07Z");
        PrometheusMicroBatchStream stream = stream(options(), clock);
        stream.prepareForTriggerAvailableNow();
        clock.set("2023-01-01T14:00:00Z");
        Offset offset = stream.initialOffset();
        StringBuilder ends = new StringBuilder();
        for (int batch = 0; batch < 10; batch++) {
            Offset next = stream.latestOffset(offset, stream.getDefaultReadLimit());
            if (next.equals(offset)) {
                break;
            }
            ends.append(Instant.ofEpochMilli(((PrometheusTimeOffset) next).timestampMillis()))
                    .append(' ');
            offset = next;
        }
        assertEquals(
                "2023-01-01T11:10:15Z 2023-01-01T11:20:15Z 2023-01-01T11:24:00Z ",
                ends.toString(),
                "10-minute batches from 11:00:15 up to 11:25:07 - 1m, then no more");
        assertEquals(json("2023-01-01T13:59:00Z"), stream.reportLatestOffset().json(), "progress shows the live end");
    }

    @Test
    void aRestartResumesFromTheCheckpointedOffset() {
        SettableClock clock = new SettableClock("2023-01-01T12:00:00Z");
        PrometheusMicroBatchStream before = stream(options(), clock);
        Offset written = before.latestOffset(before.initialOffset(), before.getDefaultReadLimit());
        assertEquals(json("2023-01-01T11:10:15Z"), written.json());

        Map<String, String> restarted = options();
        restarted.put("start", "now");
        PrometheusMicroBatchStream after = stream(restarted, clock);
        Offset read = after.deserializeOffset(written.json());
        assertEquals(written, read);
        assertEquals(
                json("2023-01-01T11:20:15Z"),
                after.latestOffset(read, after.getDefaultReadLimit()).json(),
                "continues after the checkpoint's offset, not from the new start");
    }

    @Test
    void aCheckpointOfAnotherStepIsRefused() {
        SettableClock clock = new SettableClock("2023-01-01T12:00:00Z");
        Map<String, String> options = options();
        options.put("step", "1m");
        PrometheusMicroBatchStream stream = stream(options, clock);
        String message = assertThrows(
                        IllegalArgumentException.class, () -> stream.deserializeOffset(json("2023-01-01T11:00:15Z")))
                .getMessage();
        assertEquals(
                "The checkpoint's offsets are on a grid of step 15s, but option 'step' is now 1m; a checkpoint"
                        + " keeps its step: set step=15s again, or start the query with a new checkpoint location",
                message);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> stream.deserializeOffset("{\"offset\":1}"))
                .getMessage()
                .startsWith("Not an offset of the prometheus stream source"));
    }

    @Test
    void streamOptionsAreValidated() {
        SettableClock clock = new SettableClock("2023-01-01T12:00:00Z");
        Map<String, String> withEnd = options();
        withEnd.put("end", "2023-01-01T12:00:00Z");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> stream(withEnd, clock))
                .getMessage()
                .startsWith("Option 'end' does not apply to spark.readStream()"));
        Map<String, String> shortBatch = options();
        shortBatch.put("maxBatchDuration", "10s");
        assertEquals(
                "Option 'step' (15s) is longer than option 'maxBatchDuration' (10s), and a batch reads at least"
                        + " one grid point: lower 'step' or set 'maxBatchDuration' to at least 15s",
                assertThrows(IllegalArgumentException.class, () -> stream(shortBatch, clock))
                        .getMessage());
        Map<String, String> badLateness = options();
        badLateness.put("lateness", "soon");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> stream(badLateness, clock))
                .getMessage()
                .startsWith("Option 'lateness' must be a Prometheus duration"));
    }

    @Test
    void defaults() {
        Map<String, String> options = options();
        options.remove("lateness");
        options.remove("maxBatchDuration");
        PrometheusStreamOptions stream =
                PrometheusSourceOptions.from(options, Map.of(), new SettableClock("2023-01-02T00:00:00Z")).stream();
        assertEquals("lateness=1m, maxBatchDuration=1d", stream.toString());
    }

    /** The step, not the batch limit the user may never have set, is named as the cause; a batch read is not affected. */
    @org.junit.jupiter.params.ParameterizedTest(name = "step={0}, maxBatchDuration={1}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "2d | | Option 'step' (2d) is longer than option 'maxBatchDuration' (1d, its default), and a batch reads at"
                        + " least one grid point: lower 'step' or set 'maxBatchDuration' to at least 2d",
                "365d | 30d | Option 'step' (365d) is longer than option 'maxBatchDuration' (30d), and a batch reads at least"
                        + " one grid point: lower 'step' or set 'maxBatchDuration' to at least 365d"
            })
    void aStepLongerThanABatchIsNamedAsTheCause(String step, String maxBatchDuration, String message) {
        SettableClock clock = new SettableClock("2023-01-01T12:00:00Z");
        Map<String, String> options = options();
        options.put("step", step);
        options.remove("maxBatchDuration");
        if (maxBatchDuration != null) {
            options.put("maxBatchDuration", maxBatchDuration);
        }
        assertEquals(
                step,
                PrometheusDuration.format(
                        PrometheusSourceOptions.from(options, Map.of(), clock).step()),
                "a batch read takes the step");
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> stream(options, clock))
                        .getMessage());
    }

    /** The windows one batch may plan are bounded when the stream starts, not when a batch runs out of heap. */
    @org.junit.jupiter.params.ParameterizedTest(name = "step={0}, maxBatchDuration={1}, partitionDuration={2}")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "1ms | 365d | auto | Option 'maxBatchDuration' (365d) at 'step' 1ms lets one batch plan 5733820 partitions",
                "1s | 30d | 1s | Option 'maxBatchDuration' (30d) at 'step' 1s lets one batch plan 5184000 partitions"
            })
    void batchesOfTooManyPartitionsAreRefused(
            String step, String maxBatchDuration, String partitionDuration, String start) {
        SettableClock clock = new SettableClock("2023-01-01T12:00:00Z");
        Map<String, String> options = options();
        options.put("step", step);
        options.put("maxBatchDuration", maxBatchDuration);
        options.put("partitionDuration", partitionDuration);
        assertEquals(
                start + "; at most 100000: lower 'maxBatchDuration', raise 'partitionDuration' (up to 11000"
                        + " points of step a slice) or raise 'step'",
                assertThrows(IllegalArgumentException.class, () -> stream(options, clock))
                        .getMessage());
    }
}
