package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.Await;
import io.tributary.testing.CauseMessages;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.prometheus.PrometheusServer;
import io.tributary.testing.prometheus.ScrapeCountingExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code spark.readStream().format("prometheus")} against a real Prometheus scraping a live exporter every second,
 * written to Delta with a checkpoint: stopped, restarted with a batch to replay, caught up with AvailableNow.
 */
class PrometheusStreamIntegrationTest {
    private static final Duration STEP = Duration.ofSeconds(1);
    private static final Duration LATENESS = Duration.ofSeconds(3);

    /** Generous: two cores shared with other builds can make one Delta commit take many seconds. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(120);

    private static ScrapeCountingExporter exporter;
    private static PrometheusServer prometheus;
    private static SparkSession spark;
    private static Path work;
    private static Instant firstScrapeSeen;

    @BeforeAll
    static void startServers() throws Exception {
        work = Path.of("target", "prometheus-stream-it").toAbsolutePath();
        JavaUtils.deleteRecursively(work.toFile());
        Files.createDirectories(work);
        exporter = ScrapeCountingExporter.start();
        prometheus = PrometheusServer.start(work.resolve("server"), null, List.of(exporter.target()), STEP);
        Await.until(
                "a first scrape of the exporter by Prometheus", Duration.ofSeconds(30), () -> exporter.scrapes() > 0);
        firstScrapeSeen = Instant.now();
        spark = SparkTestSession.get();
    }

    @AfterAll
    static void stopServers() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    /**
     * A stream start on the 1 s grid a few seconds back, so that the first batch has points at once, but after the
     * first scrape, so that every grid point from there on has a value.
     */
    private static Instant recentStart() {
        Instant recent = Instant.now().minusSeconds(6);
        Instant earliest = firstScrapeSeen.plusSeconds(1);
        return Instant.ofEpochSecond((recent.isAfter(earliest) ? recent : earliest).getEpochSecond() + 1);
    }

    private static DataStreamReader stream(String metrics, String layout, Instant start, String maxBatchDuration) {
        return spark.readStream()
                .format("prometheus")
                .option("url", prometheus.url())
                .option("metrics", metrics)
                .option("layout", layout)
                .option("labelColumns", "source")
                .option("start", Long.toString(start.getEpochSecond()))
                .option("step", "1s")
                .option("lateness", LATENESS.toSeconds() + "s")
                .option("maxBatchDuration", maxBatchDuration);
    }

    /** The same window read as a batch: {@code [start, endExclusive)}. */
    private static Dataset<Row> batchRead(String metrics, String layout, Instant start, Instant endExclusive) {
        return spark.read()
                .format("prometheus")
                .option("url", prometheus.url())
                .option("metrics", metrics)
                .option("layout", layout)
                .option("labelColumns", "source")
                .option("start", start.toString())
                .option("end", endExclusive.minus(STEP).toString())
                .option("step", "1s")
                .load();
    }

    /** (metric or -, source, timestamp) → the row's values; fails on a key seen twice. */
    private static Map<String, List<Object>> byKey(Dataset<Row> frame) {
        boolean isLong = List.of(frame.columns()).contains("metric");
        int timestamp = frame.schema().fieldIndex("timestamp");
        int source = frame.schema().fieldIndex("source");
        Map<String, List<Object>> rows = new HashMap<>();
        for (Row row : frame.collectAsList()) {
            String key = (isLong ? row.getString(0) : "-") + "/" + row.getString(source) + "@"
                    + row.getTimestamp(timestamp).toInstant();
            List<Object> values = new ArrayList<>();
            for (int i = timestamp + 1; i < row.length(); i++) {
                values.add(row.get(i));
            }
            values.add(new TreeMap<>(row.<String, String>getJavaMap(isLong ? 1 : 0)));
            assertNull(rows.put(key, values), "the table holds " + key + " twice");
        }
        return rows;
    }

    private static Instant endOffset(StreamingQueryProgress progress) {
        return offsetTime(progress.sources()[0].endOffset());
    }

    private static Instant offsetTime(String json) {
        long millis = Long.parseLong(json.replaceAll(".*\"timestampMillis\":(\\d+).*", "$1"));
        return Instant.ofEpochMilli(millis);
    }

    private static Instant awaitBatches(StreamingQuery query, long batchId) throws Exception {
        return Await.value("batch " + batchId + " of the stream", QUERY_TIMEOUT, () -> {
            assertNull(query.exception().isDefined() ? query.exception().get() : null);
            StreamingQueryProgress last = query.lastProgress();
            return last != null && last.batchId() >= batchId ? Optional.of(endOffset(last)) : Optional.empty();
        });
    }

    @Test
    void rawModeIsRefusedForStreamsNamingTheOption() throws Exception {
        StreamingQuery query = stream(ScrapeCountingExporter.SCRAPES, "long", recentStart(), "1h")
                .option("mode", "raw")
                .load()
                .writeStream()
                .format("noop")
                .start();
        Exception error = assertThrows(Exception.class, () -> query.awaitTermination(QUERY_TIMEOUT.toMillis()));
        String messages = CauseMessages.of(error);
        assertTrue(messages.contains("Option 'mode'=raw reads by remote read in batch jobs only"), messages);
    }

    @Test
    void deltaHoldsEveryGridPointOnceAcrossARestartAndAReplayedBatch() throws Exception {
        String metrics = ScrapeCountingExporter.SCRAPES;
        String table = work.resolve("long-table").toString();
        Path checkpoint = work.resolve("long-checkpoint");
        Instant start = recentStart();

        // Short batches while the query follows the clock; the restart below catches up in one long batch, since every
        // batch commits to Delta, which takes seconds on a busy machine.
        StreamingQuery first = stream(metrics, "long", start, "4s")
                .load()
                .writeStream()
                .format("delta")
                .option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.ProcessingTime(Duration.ofSeconds(1).toMillis()))
                .start(table);
        awaitBatches(first, 1);
        first.stop();

        // As if the driver died after logging the last batch's offsets but before committing it: Spark must replay
        // that batch with the same window on restart, and the Delta sink must not write it twice.
        long lastLogged;
        try (Stream<Path> files = Files.list(checkpoint.resolve("offsets"))) {
            lastLogged = files.map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("\\d+"))
                    .mapToLong(Long::parseLong)
                    .max()
                    .getAsLong();
        }
        Files.deleteIfExists(checkpoint.resolve("commits").resolve(Long.toString(lastLogged)));
        Files.deleteIfExists(checkpoint.resolve("commits").resolve("." + lastLogged + ".crc"));
        List<String> logged = Files.readAllLines(checkpoint.resolve("offsets").resolve(Long.toString(lastLogged)));
        Instant replayedEnd = offsetTime(logged.get(logged.size() - 1));

        // The restart must find points after the replayed window: a batch reads up to now minus lateness.
        Instant readableAfterReplay = replayedEnd.plus(LATENESS).plus(STEP);
        Await.until(
                "the clock to pass " + readableAfterReplay + ", when points after the replayed window are readable",
                QUERY_TIMEOUT,
                () -> Instant.now().isAfter(readableAfterReplay));
        StreamingQuery second = stream(metrics, "long", start, "10m")
                .load()
                .writeStream()
                .format("delta")
                .option("checkpointLocation", checkpoint.toString())
                .trigger(Trigger.AvailableNow())
                .start(table);
        assertTrue(second.awaitTermination(QUERY_TIMEOUT.toMillis()), "AvailableNow stops once caught up");
        StreamingQueryProgress[] progress = second.recentProgress();
        assertEquals(lastLogged, progress[0].batchId(), "the uncommitted batch runs again");
        assertEquals(replayedEnd, endOffset(progress[0]), "with the window its offsets logged");
        Instant end = endOffset(progress[progress.length - 1]);
        assertTrue(end.isAfter(replayedEnd), "the restart read on: " + end);
        assertTrue(progress.length >= 2, "the replayed batch, then the catch-up: " + progress.length);

        Map<String, List<Object>> stored = byKey(spark.read().format("delta").load(table));
        long points = Duration.between(start, end).dividedBy(STEP);
        Set<String> expectedKeys = new HashSet<>();
        for (long i = 0; i < points; i++) {
            Instant t = start.plus(STEP.multipliedBy(i));
            expectedKeys.add(metrics + "/a@" + t);
            expectedKeys.add(metrics + "/b@" + t);
        }
        assertEquals(expectedKeys, stored.keySet(), "every grid point in [start, last offset) once, for both series");
        assertEquals(byKey(batchRead(metrics, "long", start, end)), stored, "and the batch read of that window");
        assertTrue(
                stored.values().stream().map(values -> values.get(0)).distinct().count() > 4,
                "values change with every scrape");
    }

    @Test
    void wideLayoutStreamsTheBatchReadersJoin() throws Exception {
        String metrics = ScrapeCountingExporter.SCRAPES + "," + ScrapeCountingExporter.HALF;
        String table = work.resolve("wide-table").toString();
        Instant start = recentStart();
        StreamingQuery query = stream(metrics, "wide", start, "10m")
                .load()
                .writeStream()
                .format("delta")
                .option("checkpointLocation", work.resolve("wide-checkpoint").toString())
                .trigger(Trigger.AvailableNow())
                .start(table);
        assertTrue(query.awaitTermination(QUERY_TIMEOUT.toMillis()), "AvailableNow stops once caught up");
        StreamingQueryProgress[] progress = query.recentProgress();
        Instant end = endOffset(progress[progress.length - 1]);

        Map<String, List<Object>> stored = byKey(spark.read().format("delta").load(table));
        assertEquals(byKey(batchRead(metrics, "wide", start, end)), stored);
        long points = Duration.between(start, end).dividedBy(STEP);
        assertEquals(2 * points, stored.size(), "sources a and b at every grid point");
        long halfNulls = stored.entrySet().stream()
                .filter(entry ->
                        entry.getKey().contains("/b@") && entry.getValue().get(1) == null)
                .count();
        assertEquals(points, halfNulls, "source b has no tributary_stream_half: null in every row");
    }
}
