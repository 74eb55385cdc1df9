package io.tributary.testing.prometheus;

import static io.tributary.testing.prometheus.SharedPrometheus.HISTORY;
import static io.tributary.testing.prometheus.SharedPrometheus.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.Await;
import io.tributary.testing.prometheus.PrometheusJson.Point;
import io.tributary.testing.prometheus.PrometheusJson.SeriesPoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusServerIntegrationTest {
    private static final Duration STEP = Duration.ofSeconds(15);

    /** The points a range query must return for {@code series}, computed from the history alone. */
    private static List<Point> expectedPoints(NodeMemoryHistory.Series series, Instant start, Instant end) {
        List<Point> points = new ArrayList<>();
        for (Instant t = start; !t.isAfter(end); t = t.plus(STEP)) {
            OptionalDouble value = HISTORY.pointAt(series, t);
            if (value.isPresent()) {
                points.add(new Point(t.getEpochSecond(), PrometheusJson.apiText(value.getAsDouble())));
            }
        }
        return points;
    }

    private static Map<String, String> expectedLabels(NodeMemoryHistory.Series series) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__name__", series.metric());
        labels.putAll(series.labels());
        return labels;
    }

    /** Asserts that {@code query} over [start, end] returns exactly the expected series and points. */
    private static void assertServes(String url, String metric, Instant start, Instant end) throws Exception {
        List<SeriesPoints> actual = PrometheusJson.queryRange(url, metric, start, end, STEP);
        List<NodeMemoryHistory.Series> expected = HISTORY.series(metric);
        assertEquals(expected.size(), actual.size(), metric);
        for (NodeMemoryHistory.Series series : expected) {
            SeriesPoints match = actual.stream()
                    .filter(s -> s.labels().equals(expectedLabels(series)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no series " + series + " in " + actual));
            assertEquals(expectedPoints(series, start, end), match.points(), series.toString());
        }
    }

    @Test
    void rangeQueryOverTheWholeHistoryReturnsExactlyTheGeneratedSamples() throws Exception {
        String url = SharedPrometheus.server().url();
        for (String metric : NodeMemoryHistory.NODE_MEMORY_METRICS) {
            List<SeriesPoints> actual = PrometheusJson.queryRange(url, metric, START, HISTORY.lastSampleTime(), STEP);
            assertEquals(3, actual.size());
            for (SeriesPoints series : actual) {
                assertEquals(480, series.points().size());
            }
            assertServes(url, metric, START, HISTORY.lastSampleTime());
        }
    }

    @Test
    void chosenSamplesHaveTheirFormulaValues() throws Exception {
        String url = SharedPrometheus.server().url();
        Instant t = START.plusSeconds(15 * 60);
        List<SeriesPoints> free =
                PrometheusJson.instantQuery(url, "node_memory_MemFree_bytes{instance=\"node-01:9100\"}", t);
        assertEquals(1, free.size());
        assertEquals(
                new Point(t.getEpochSecond(), PrometheusJson.apiText(HISTORY.value(NodeMemoryHistory.MEM_FREE, 1, 60))),
                free.get(0).points().get(0));
        List<SeriesPoints> total = PrometheusJson.instantQuery(
                url, "node_memory_MemTotal_bytes{instance=\"node-02:9100\"}", HISTORY.lastSampleTime());
        assertEquals("17179869184", total.get(0).points().get(0).value());
    }

    @Test
    void pointsContinueFiveMinutesPastTheLastSampleAndNoFurther() throws Exception {
        String url = SharedPrometheus.server().url();
        List<SeriesPoints> actual = PrometheusJson.queryRange(
                url, NodeMemoryHistory.ACTIVE, START, HISTORY.end().plus(Duration.ofMinutes(30)), STEP);
        // 480 samples, then 20 more points (5 minutes at 15 s) that repeat the last sample.
        assertEquals(500, actual.get(0).points().size());
        assertServes(url, NodeMemoryHistory.ACTIVE, START, HISTORY.end().plus(Duration.ofMinutes(30)));
    }

    @Test
    void nonFiniteValuesComeBackAsNaNAndInfinities() throws Exception {
        String url = SharedPrometheus.server().url();
        List<SeriesPoints> actual =
                PrometheusJson.queryRange(url, NodeMemoryHistory.NON_FINITE_METRIC, START, HISTORY.timestamp(7), STEP);
        List<String> values = actual.get(0).points().stream().map(Point::value).toList();
        assertEquals(List.of("0", "NaN", "+Inf", "-Inf", "4", "NaN", "+Inf", "-Inf"), values);
        assertServes(url, NodeMemoryHistory.NON_FINITE_METRIC, START, HISTORY.lastSampleTime());
    }

    @Test
    void gapSeriesHasNoPointsInsideTheGapBeyondTheLookback() throws Exception {
        String url = SharedPrometheus.server().url();
        List<SeriesPoints> actual =
                PrometheusJson.queryRange(url, NodeMemoryHistory.GAP_METRIC, START, HISTORY.lastSampleTime(), STEP);
        Instant lastBeforeGap = HISTORY.timestamp(HISTORY.gapFirstIndex() - 1);
        Instant firstAfterGap = HISTORY.timestamp(HISTORY.gapEndIndex());
        long inGapBeyondLookback = actual.get(0).points().stream()
                .filter(p -> p.seconds()
                                > lastBeforeGap.plus(NodeMemoryHistory.LOOKBACK).getEpochSecond()
                        && p.seconds() < firstAfterGap.getEpochSecond())
                .count();
        assertEquals(0, inGapBeyondLookback);
        // 480 samples less the 160 in the gap, plus 20 lookback points inside the gap.
        assertEquals(480 - 160 + 20, actual.get(0).points().size());
        assertServes(url, NodeMemoryHistory.GAP_METRIC, START, HISTORY.lastSampleTime());
    }

    @Test
    void counterResetsEveryFortySamples() throws Exception {
        String url = SharedPrometheus.server().url();
        assertServes(url, NodeMemoryHistory.COUNTER_METRIC, START, HISTORY.lastSampleTime());
        List<SeriesPoints> resets = PrometheusJson.instantQuery(
                url, "resets(" + NodeMemoryHistory.COUNTER_METRIC + "[2h])", HISTORY.lastSampleTime());
        // Resets at samples 40, 80, ..., 440.
        assertEquals("11", resets.get(0).points().get(0).value());
    }

    @Test
    void oneSeriesOfThePartlyGroupedMetricHasNoGroupLabel() throws Exception {
        String url = SharedPrometheus.server().url();
        List<SeriesPoints> actual = PrometheusJson.queryRange(
                url, NodeMemoryHistory.PARTLY_GROUPED_METRIC, START, HISTORY.lastSampleTime(), STEP);
        assertEquals(
                List.of("group-0"),
                actual.stream()
                        .map(s -> s.labels().get("group"))
                        .filter(java.util.Objects::nonNull)
                        .toList());
        assertServes(url, NodeMemoryHistory.PARTLY_GROUPED_METRIC, START, HISTORY.lastSampleTime());
    }

    private static Path freshWorkDir(String name) throws IOException {
        Path work = SharedPrometheus.WORK_ROOT.resolve(name);
        TsdbBackfill.deleteRecursively(work);
        return Files.createDirectories(work);
    }

    @Test
    void killRestartAndReuseServeTheSameData() throws Exception {
        Path work = freshWorkDir("restart");
        Path file = work.resolve("history.om");
        HISTORY.writeOpenMetrics(file);
        int port;
        try (PrometheusServer server = PrometheusServer.start(work, file)) {
            assertFalse(server.reusedBlocks());
            // The history spans two 2-hour blocks: promtool ran once per slice, and the slices are gone.
            assertEquals(
                    2,
                    Files.readAllLines(work.resolve("promtool.log")).stream()
                            .filter(line -> line.startsWith("BLOCK ULID"))
                            .count());
            assertFalse(Files.exists(work.resolve(TsdbBackfill.CHUNK_DIR)));
            port = server.port();
            assertServes(server.url(), NodeMemoryHistory.MEM_FREE, START, HISTORY.lastSampleTime());

            server.kill();
            assertFalse(server.isRunning());
            HttpRequest ready = HttpRequest.newBuilder(URI.create(server.url() + "/-/ready"))
                    .build();
            assertThrows(
                    IOException.class, () -> PrometheusJson.HTTP.send(ready, HttpResponse.BodyHandlers.discarding()));

            server.restart();
            assertTrue(server.isRunning());
            assertEquals(port, server.port());
            assertServes(server.url(), NodeMemoryHistory.MEM_FREE, START, HISTORY.lastSampleTime());
            assertServes(server.url(), NodeMemoryHistory.GAP_METRIC, START, HISTORY.lastSampleTime());
        }
        try (PrometheusServer again = PrometheusServer.start(work, file)) {
            assertTrue(again.reusedBlocks());
            assertServes(again.url(), NodeMemoryHistory.CACHED, START, HISTORY.lastSampleTime());
        }
    }

    @Test
    void promtoolFailureReportsItsOutput() throws Exception {
        Path work = freshWorkDir("bad-history");
        Path file = work.resolve("bad.om");
        Files.writeString(file, "# TYPE broken gauge\nbroken{job=\"x\" 1 1000\n# EOF\n");
        IllegalStateException error =
                assertThrows(IllegalStateException.class, () -> PrometheusServer.start(work, file));
        assertTrue(error.getMessage().startsWith("promtool failed with exit code 1: "), error.getMessage());
        assertTrue(error.getMessage().contains("(a 2-hour slice of " + file + ")"), error.getMessage());
        assertTrue(error.getMessage().contains("expected comma or left brace"), error.getMessage());
        assertFalse(Files.exists(TsdbBackfill.markerFor(work.resolve("data"))));
    }

    @Test
    void missingHistoryFileIsRejected() {
        Path work = SharedPrometheus.WORK_ROOT.resolve("no-history");
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> PrometheusServer.start(work, work.resolve("absent.om")));
        assertEquals("openMetricsFile must be an existing file, got " + work.resolve("absent.om"), error.getMessage());
    }

    @Test
    void scrapesTheTargetsItIsGivenIntoAnEmptyTsdb() throws Exception {
        Path work = freshWorkDir("scraping");
        String target = "127.0.0.1:" + SharedPrometheus.server().port();
        try (PrometheusServer scraper = PrometheusServer.start(work, null, List.of(target), Duration.ofSeconds(1))) {
            assertFalse(scraper.reusedBlocks());
            // The first scrape lands within one interval; wait for it, then check what it recorded.
            List<SeriesPoints> up = Await.value("a first scrape of " + target, Duration.ofSeconds(10), () -> {
                List<SeriesPoints> series = PrometheusJson.instantQuery(scraper.url(), "up", Instant.now());
                return series.isEmpty() ? Optional.empty() : Optional.of(series);
            });
            assertEquals(1, up.size(), "one series of up: " + up);
            assertEquals(
                    Map.of("__name__", "up", "instance", target, "job", "tributary"),
                    up.get(0).labels());
            assertEquals("1", up.get(0).points().get(0).value());
            assertEquals(
                    List.of(), PrometheusJson.instantQuery(scraper.url(), NodeMemoryHistory.MEM_FREE, Instant.now()));
        }
        assertFalse(Files.exists(TsdbBackfill.markerFor(work.resolve("data"))));
    }

    @Test
    void scrapeTargetsMustBeHostAndPort() {
        Path work = SharedPrometheus.WORK_ROOT.resolve("bad-target");
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> PrometheusServer.start(
                        work, null, List.of("http://127.0.0.1:9100/metrics"), Duration.ofSeconds(1)));
        assertEquals(
                "scrapeTargets entries must be host:port, got 'http://127.0.0.1:9100/metrics'", error.getMessage());
    }
}
