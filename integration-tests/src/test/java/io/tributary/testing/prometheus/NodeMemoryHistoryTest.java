package io.tributary.testing.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMemoryHistoryTest {
    private static final Instant START = Instant.parse("2023-01-01T00:00:00Z");
    private static final long GIB = 1L << 30;

    private static NodeMemoryHistory small(boolean special) {
        return NodeMemoryHistory.builder()
                .instances(3)
                .groups(2)
                .start(START)
                .duration(Duration.ofHours(2))
                .specialSeries(special)
                .build();
    }

    @Test
    void labelsFollowTheDocumentedScheme() {
        NodeMemoryHistory history = small(false);
        NodeMemoryHistory.Series series = history.nodeSeries(NodeMemoryHistory.ACTIVE, 2);
        assertEquals(Map.of("instance", "node-02:9100", "group", "group-0", "job", "node"), series.labels());
        assertEquals("group-1", history.group(1));
        assertEquals(
                "node-000:9100",
                NodeMemoryHistory.builder()
                        .instances(101)
                        .start(START)
                        .duration(Duration.ofMinutes(1))
                        .build()
                        .instance(0));
        assertEquals(NodeMemoryHistory.NODE_MEMORY_METRICS, history.metricNames());
    }

    @Test
    void valuesFollowTheDocumentedFormulas() {
        NodeMemoryHistory history = small(false);
        assertEquals(12 * GIB, history.value(NodeMemoryHistory.MEM_TOTAL, 1, 0));
        assertEquals(12 * GIB, history.value(NodeMemoryHistory.MEM_TOTAL, 1, 479));
        // Instance 0, sample 0: w = 0, so MemFree = round(8 GiB * 0.25) + jitter(1) with jitter(1) =
        // (15485863 mod 1021) * 4096.
        assertEquals(2 * GIB + (15485863L % 1021) * 4096, history.value(NodeMemoryHistory.MEM_FREE, 0, 0));
        // Cached (metric index 3) at sample 0 of instance 0: cos(0) = 1, so round(8 GiB * 0.25) + jitter(3).
        assertEquals(2 * GIB + (3 * 15485863L % 1021) * 4096, history.value(NodeMemoryHistory.CACHED, 0, 0));
        // Sample 60 of instance 0: w = pi/2, sin = 1: MemFree = round(8 GiB * (0.25 + 0.08)) + jitter(1).
        long jitter60 = Math.floorMod(60 * 7919L + 15485863L, 1021L) * 4096;
        assertEquals(Math.round(8 * GIB * (0.25 + 0.08)) + jitter60, history.value(NodeMemoryHistory.MEM_FREE, 0, 60));
    }

    @Test
    void everyValueIsAWholeNumberAndNeighboursDiffer() {
        NodeMemoryHistory history = small(false);
        for (String metric : List.of(NodeMemoryHistory.MEM_FREE, NodeMemoryHistory.ACTIVE, NodeMemoryHistory.CACHED)) {
            for (int k = 0; k < 3; k++) {
                for (long i = 0; i < history.sampleCount(); i++) {
                    double v = history.value(metric, k, i);
                    assertEquals(Math.rint(v), v, metric + " " + k + " " + i);
                    assertTrue(
                            v > 0 && v < history.value(NodeMemoryHistory.MEM_TOTAL, k, i), metric + " " + k + " " + i);
                    if (i > 0) {
                        assertFalse(v == history.value(metric, k, i - 1), metric + " " + k + " " + i + " repeats");
                    }
                }
            }
        }
    }

    @Test
    void countsAndTimes() {
        NodeMemoryHistory history = small(true);
        assertEquals(480, history.sampleCount());
        assertEquals(Instant.parse("2023-01-01T01:59:45Z"), history.lastSampleTime());
        assertEquals(Instant.parse("2023-01-01T02:00:00Z"), history.end());
        assertEquals(
                Instant.parse("2023-01-01T00:00:15Z"), history.sampleTimes().get(1));
        assertEquals(160, history.gapFirstIndex());
        assertEquals(320, history.gapEndIndex());
        // 12 node-memory series and 5 special ones of 480 samples, less the gap's 160.
        assertEquals(17 * 480 - 160, history.totalSampleCount());
        assertEquals(12 * 480, history.nodeMemorySampleCount());
        // The benchmark size named in the brief: 4 metrics x 50 instances x 3 days at 15 s.
        assertEquals(
                3_456_000,
                NodeMemoryHistory.builder()
                        .instances(50)
                        .start(START)
                        .duration(Duration.ofDays(3))
                        .build()
                        .totalSampleCount());
    }

    @Test
    void specialSeriesValues() {
        NodeMemoryHistory history = small(true);
        NodeMemoryHistory.Series nonFinite = history.specialSeries(NodeMemoryHistory.NON_FINITE_METRIC);
        assertEquals(8.0, history.value(nonFinite, 8));
        assertTrue(Double.isNaN(history.value(nonFinite, 9)));
        assertEquals(Double.POSITIVE_INFINITY, history.value(nonFinite, 10));
        assertEquals(Double.NEGATIVE_INFINITY, history.value(nonFinite, 11));
        NodeMemoryHistory.Series counter = history.specialSeries(NodeMemoryHistory.COUNTER_METRIC);
        assertEquals(195.0, history.value(counter, 39));
        assertEquals(0.0, history.value(counter, 40));
        assertEquals("counter", counter.type());
        assertEquals("tributary_fixture_restarts", counter.family());
        List<NodeMemoryHistory.Series> partly = history.series(NodeMemoryHistory.PARTLY_GROUPED_METRIC);
        assertEquals("group-0", partly.get(0).label("group"));
        assertEquals(null, partly.get(1).label("group"));
        assertEquals(NodeMemoryHistory.UNGROUPED_INSTANCE, partly.get(1).label("instance"));
        assertEquals(2005.0, history.value(partly.get(1), 5));
    }

    @Test
    void pointAtAppliesTheFiveMinuteLookback() {
        NodeMemoryHistory history = small(true);
        NodeMemoryHistory.Series gap = history.specialSeries(NodeMemoryHistory.GAP_METRIC);
        Instant gapStart = history.timestamp(160);
        // Between samples the newest older sample counts.
        assertEquals(OptionalDouble.of(159), history.pointAt(gap, gapStart.minusSeconds(7)));
        // Inside the gap, the last sample (index 159) is used for exactly 5 minutes after its time...
        assertEquals(
                OptionalDouble.of(159),
                history.pointAt(gap, history.timestamp(159).plusSeconds(300)));
        // ...and not a millisecond longer.
        assertEquals(
                OptionalDouble.empty(),
                history.pointAt(gap, history.timestamp(159).plusSeconds(300).plusMillis(1)));
        assertEquals(OptionalDouble.of(320), history.pointAt(gap, history.timestamp(320)));
        NodeMemoryHistory.Series free = history.nodeSeries(NodeMemoryHistory.MEM_FREE, 0);
        assertEquals(OptionalDouble.empty(), history.pointAt(free, START.minusMillis(1)));
        assertEquals(
                OptionalDouble.of(history.value(free, 479)),
                history.pointAt(free, history.lastSampleTime().plusSeconds(300)));
        assertEquals(
                OptionalDouble.empty(),
                history.pointAt(free, history.lastSampleTime().plusSeconds(301)));
    }

    @Test
    void writesPromtoolReadyOpenMetrics(@TempDir Path dir) throws IOException {
        NodeMemoryHistory tiny = NodeMemoryHistory.builder()
                .instances(1)
                .groups(1)
                .start(Instant.ofEpochSecond(1000))
                .interval(Duration.ofMillis(1500))
                .duration(Duration.ofSeconds(3))
                .build();
        Path file = dir.resolve("tiny.om");
        tiny.writeOpenMetrics(file);
        long free0 = (long) tiny.value(NodeMemoryHistory.MEM_FREE, 0, 0);
        long free1 = (long) tiny.value(NodeMemoryHistory.MEM_FREE, 0, 1);
        List<String> lines = Files.readAllLines(file);
        assertEquals("# TYPE node_memory_MemFree_bytes gauge", lines.get(0));
        assertEquals(
                "node_memory_MemFree_bytes{group=\"group-0\",instance=\"node-00:9100\",job=\"node\"} " + free0
                        + " 1000",
                lines.get(1));
        assertEquals(
                "node_memory_MemFree_bytes{group=\"group-0\",instance=\"node-00:9100\",job=\"node\"} " + free1
                        + " 1001.5",
                lines.get(2));
        assertEquals(
                "node_memory_MemTotal_bytes{group=\"group-0\",instance=\"node-00:9100\",job=\"node\"} 8589934592"
                        + " 1000",
                lines.get(4));
        assertEquals("# EOF", lines.get(lines.size() - 1));
        assertEquals(4 * 3 + 1, lines.size());
    }

    @Test
    void familiesAreContiguousAndSeriesInTimeOrder(@TempDir Path dir) throws IOException {
        NodeMemoryHistory history = small(true);
        Path file = dir.resolve("history.om");
        history.writeOpenMetrics(file);
        Set<String> finishedFamilies = new HashSet<>();
        String family = null;
        Map<String, Double> lastTime = new HashMap<>();
        List<String> nonFinite = new ArrayList<>();
        long samples = 0;
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("# TYPE ")) {
                if (family != null) {
                    finishedFamilies.add(family);
                }
                family = line.split(" ")[2];
                assertFalse(finishedFamilies.contains(family), family + " is not contiguous");
            } else if (!line.equals("# EOF")) {
                samples++;
                int space = line.lastIndexOf(' ');
                String seriesAndValue = line.substring(0, space);
                String series = seriesAndValue.substring(0, seriesAndValue.lastIndexOf(' '));
                assertTrue(series.startsWith(family), line + " outside its family " + family);
                double t = Double.parseDouble(line.substring(space + 1));
                Double previous = lastTime.put(series, t);
                assertTrue(previous == null || previous < t, line + " is out of order");
                if (series.startsWith(NodeMemoryHistory.NON_FINITE_METRIC) && nonFinite.size() < 4) {
                    nonFinite.add(seriesAndValue.substring(seriesAndValue.lastIndexOf(' ') + 1));
                }
            }
        }
        assertEquals(history.totalSampleCount(), samples);
        assertEquals(17, lastTime.size());
        assertEquals(List.of("0", "NaN", "+Inf", "-Inf"), nonFinite);
    }

    @Test
    void builderRejectsMistakesNamingTheField() {
        NodeMemoryHistory.Builder base =
                NodeMemoryHistory.builder().start(START).duration(Duration.ofHours(1));
        assertEquals(
                "instances must be at least 1, got 0",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> base.instances(0).build())
                        .getMessage());
        base.instances(3);
        assertEquals(
                "duration must be a positive whole multiple of interval (PT15S), got PT1H0.5S",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> base.duration(Duration.ofMillis(3_600_500))
                                        .build())
                        .getMessage());
        base.duration(Duration.ofMinutes(15)).specialSeries(true);
        assertTrue(assertThrows(IllegalArgumentException.class, base::build)
                .getMessage()
                .startsWith("duration PT15M is too short for specialSeries"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> NodeMemoryHistory.builder()
                                .start(START.plusNanos(1))
                                .duration(Duration.ofHours(1))
                                .build())
                .getMessage()
                .startsWith("start must be a whole number of milliseconds"));
        NodeMemoryHistory plain = small(false);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plain.specialSeries(NodeMemoryHistory.GAP_METRIC))
                .getMessage()
                .contains("special series are off"));
    }

    @Test
    void prometheusTimeFormatsSecondsLikeTheApi() {
        assertEquals("1700000000", PrometheusTime.seconds(1_700_000_000_000L));
        assertEquals("1700000000.25", PrometheusTime.seconds(1_700_000_000_250L));
        assertEquals("1700000000.001", PrometheusTime.seconds(1_700_000_000_001L));
        assertEquals("-0.5", PrometheusTime.seconds(-500L));
        assertEquals("15", PrometheusTime.seconds(Duration.ofSeconds(15)));
    }
}
