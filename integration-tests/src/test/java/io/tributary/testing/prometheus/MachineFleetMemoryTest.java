package io.tributary.testing.prometheus;

import static io.tributary.testing.prometheus.NodeMemoryHistory.ACTIVE;
import static io.tributary.testing.prometheus.NodeMemoryHistory.CACHED;
import static io.tributary.testing.prometheus.NodeMemoryHistory.MEM_FREE;
import static io.tributary.testing.prometheus.NodeMemoryHistory.MEM_TOTAL;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine-fleet history the demo draws: the fleet drawn from random seed 20231, 20 machines, two days at 15 s. */
class MachineFleetMemoryTest {
    private static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    private static final long GIB = 1L << 30;
    private static final int SAMPLES_PER_HOUR = 240;
    private static final NodeMemoryHistory FLEET = fleet(20231);

    private static NodeMemoryHistory fleet(long seed) {
        return NodeMemoryHistory.builder()
                .instances(20)
                .groups(4)
                .start(START)
                .duration(Duration.ofDays(2))
                .machineFleet(seed)
                .build();
    }

    /** Mean share of MemTotal in use, page cache excluded, over hour {@code h}'s samples of instance k. */
    private static double hourlyUtilisation(NodeMemoryHistory history, int k, int h) {
        double sum = 0;
        int points = 0;
        for (long i = (long) h * SAMPLES_PER_HOUR; i < (h + 1L) * SAMPLES_PER_HOUR; i++) {
            if (history.hasSample(history.nodeSeries(MEM_FREE, k), i)) {
                sum += 1
                        - (history.value(MEM_FREE, k, i) + history.value(CACHED, k, i))
                                / history.value(MEM_TOTAL, k, i);
                points++;
            }
        }
        return sum / points;
    }

    private static int busiestHour(NodeMemoryHistory history, int k, int fromHour) {
        return IntStream.range(fromHour, fromHour + 24)
                .boxed()
                .max((a, b) -> Double.compare(hourlyUtilisation(history, k, a), hourlyUtilisation(history, k, b)))
                .orElseThrow();
    }

    @Test
    void valuesAreTheSameForTheSameSeed() {
        assertEquals(1_393_750_016L, (long) FLEET.value(MEM_FREE, 0, 0));
        assertEquals(8_338_968_576L, (long) FLEET.value(MEM_TOTAL, 0, 0));
        assertEquals(3_821_969_408L, (long) FLEET.value(ACTIVE, 0, 0));
        assertEquals(4_691_087_360L, (long) FLEET.value(CACHED, 0, 0));
        NodeMemoryHistory again = fleet(20231);
        NodeMemoryHistory other = fleet(20232);
        for (String metric : NodeMemoryHistory.NODE_MEMORY_METRICS) {
            assertEquals(FLEET.value(metric, 7, 5000), again.value(metric, 7, 5000), metric);
        }
        assertNotEquals(FLEET.value(MEM_FREE, 7, 5000), other.value(MEM_FREE, 7, 5000));
    }

    @Test
    void openMetricsTextIsReproducible(@TempDir Path dir) throws IOException {
        NodeMemoryHistory small = NodeMemoryHistory.builder()
                .instances(3)
                .start(START)
                .duration(Duration.ofHours(3))
                .machineFleet(5)
                .build();
        small.writeOpenMetrics(dir.resolve("a.om"));
        NodeMemoryHistory.builder()
                .instances(3)
                .start(START)
                .duration(Duration.ofHours(3))
                .machineFleet(5)
                .build()
                .writeOpenMetrics(dir.resolve("b.om"));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.om")), Files.readAllBytes(dir.resolve("b.om")));
    }

    @Test
    void machinesHaveDifferentSizesAndLoads() {
        Map<Long, Integer> installedGib = new TreeMap<>();
        for (int k = 0; k < 20; k++) {
            long total = FLEET.machineFleet().memTotal(k);
            assertEquals(total, (long) FLEET.value(MEM_TOTAL, k, 11_519), "MemTotal is constant");
            installedGib.merge((Long.highestOneBit(total) << 1) / GIB, 1, Integer::sum);
        }
        assertEquals(Map.of(8L, 3, 16L, 3, 32L, 8, 64L, 4, 128L, 2), installedGib);
        assertEquals(
                20,
                IntStream.range(0, 20)
                        .mapToLong(k -> FLEET.machineFleet().memTotal(k))
                        .distinct()
                        .count());
        // mean utilisation of the first day, per machine: from 28 % to 66 %, no two machines within 0.1 point
        double[] means = IntStream.range(0, 20)
                .mapToDouble(k -> IntStream.range(0, 24)
                        .mapToDouble(h -> hourlyUtilisation(FLEET, k, h))
                        .average()
                        .orElseThrow())
                .sorted()
                .toArray();
        assertEquals(0.2795, means[0], 5e-5);
        assertEquals(0.6626, means[19], 5e-5);
        for (int n = 1; n < means.length; n++) {
            assertTrue(means[n] - means[n - 1] > 0.001, "machines " + n + " and " + (n - 1) + " of the sorted means");
        }
    }

    @Test
    void everyMachineHasADailyCycle() {
        for (int k = 0; k < 20; k++) {
            int instance = k;
            double[] day = IntStream.range(0, 24)
                    .mapToDouble(h -> hourlyUtilisation(FLEET, instance, h))
                    .toArray();
            double swing = Arrays.stream(day).max().orElseThrow()
                    - Arrays.stream(day).min().orElseThrow();
            assertTrue(swing > 0.05, "instance " + k + " swings " + swing);
        }
        assertEquals(12, busiestHour(FLEET, 0, 0));
        assertEquals(40, busiestHour(FLEET, 0, 24));
    }

    @Test
    void restartsLeaveAGapAndMemoryFallsBack() {
        assertEquals(
                List.of(new MachineFleetMemory.Restart(15, 2954, 3003), new MachineFleetMemory.Restart(5, 7942, 8019)),
                FLEET.machineFleet().restarts());
        for (MachineFleetMemory.Restart restart : FLEET.machineFleet().restarts()) {
            int k = restart.instance();
            NodeMemoryHistory.Series free = FLEET.nodeSeries(MEM_FREE, k);
            assertTrue(FLEET.hasSample(free, restart.downFrom() - 1));
            assertFalse(FLEET.hasSample(free, restart.downFrom()));
            assertFalse(FLEET.hasSample(FLEET.nodeSeries(CACHED, k), restart.upAt() - 1));
            assertTrue(FLEET.hasSample(free, restart.upAt()));
            int hourDown = (int) (restart.downFrom() / SAMPLES_PER_HOUR);
            double before = hourlyUtilisation(FLEET, k, hourDown - 1);
            double after = hourlyUtilisation(FLEET, k, hourDown + 1);
            assertTrue(before - after > 0.2, "instance " + k + ": " + before + " -> " + after);
            // the page cache starts empty after the restart
            double total = FLEET.value(MEM_TOTAL, k, restart.upAt());
            assertTrue(FLEET.value(CACHED, k, restart.downFrom() - 1) > 0.1 * total);
            assertTrue(FLEET.value(CACHED, k, restart.upAt()) < 0.02 * total);
        }
        assertEquals(4 * (20 * 11_520L - 49 - 77), FLEET.nodeMemorySampleCount());
        assertEquals(FLEET.nodeMemorySampleCount(), FLEET.totalSampleCount());
    }

    @Test
    void valuesAreWholePagesThatAddUp() {
        for (int k = 0; k < 20; k++) {
            for (long i = 0; i < FLEET.sampleCount(); i += 97) {
                long total = (long) FLEET.value(MEM_TOTAL, k, i);
                long free = (long) FLEET.value(MEM_FREE, k, i);
                long cached = (long) FLEET.value(CACHED, k, i);
                assertEquals(0, free % 4096);
                assertEquals(0, cached % 4096);
                assertTrue(free >= 0.019 * total && free + cached < total, "instance " + k + " sample " + i);
            }
        }
    }

    @Test
    void formulaHistoryHasNoFleet() {
        NodeMemoryHistory formulas = NodeMemoryHistory.builder()
                .start(START)
                .duration(Duration.ofHours(1))
                .build();
        assertEquals(
                "This history was built without machineFleet(seed)",
                assertThrows(IllegalStateException.class, formulas::machineFleet)
                        .getMessage());
    }
}
