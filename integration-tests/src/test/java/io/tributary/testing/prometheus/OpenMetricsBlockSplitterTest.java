package io.tributary.testing.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenMetricsBlockSplitterTest {

    @Test
    void splitsIntoTwoHourBlocksEachWithItsFamiliesMetadata(@TempDir Path dir) throws IOException {
        NodeMemoryHistory history = NodeMemoryHistory.builder()
                .instances(2)
                .groups(1)
                .start(Instant.parse("2023-01-01T01:00:00Z"))
                .duration(Duration.ofHours(5))
                .specialSeries(true)
                .build();
        Path file = dir.resolve("history.om");
        history.writeOpenMetrics(file);

        List<Path> slices = OpenMetricsBlockSplitter.split(file, dir.resolve("slices"));

        // 01:00-02:00, 02:00-04:00, 04:00-06:00 fall into the blocks starting at 00:00, 02:00 and 04:00.
        long firstBlock = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli() / OpenMetricsBlockSplitter.BLOCK_MILLIS;
        assertEquals(
                List.of(
                        dir.resolve("slices/block-" + firstBlock + ".om"),
                        dir.resolve("slices/block-" + (firstBlock + 1) + ".om"),
                        dir.resolve("slices/block-" + (firstBlock + 2) + ".om")),
                slices);
        long samples = 0;
        for (int b = 0; b < 3; b++) {
            List<String> lines = Files.readAllLines(slices.get(b));
            assertEquals("# TYPE node_memory_MemFree_bytes gauge", lines.get(0));
            assertEquals("# EOF", lines.get(lines.size() - 1));
            assertEquals(
                    history.metricNames().size(),
                    lines.stream().filter(l -> l.startsWith("# TYPE ")).count());
            long blockStart = (firstBlock + b) * OpenMetricsBlockSplitter.BLOCK_MILLIS;
            for (String line : lines) {
                if (!line.startsWith("#")) {
                    samples++;
                    long millis = Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) * 1000);
                    assertTrue(
                            millis >= blockStart && millis < blockStart + OpenMetricsBlockSplitter.BLOCK_MILLIS, line);
                }
            }
        }
        assertEquals(history.totalSampleCount(), samples);
    }

    @Test
    void leavesFilesItCannotSplitSafelyToPromtool(@TempDir Path dir) throws IOException {
        Path noTimestamp = dir.resolve("no-timestamp.om");
        Files.writeString(noTimestamp, "# TYPE up gauge\nup{job=\"a b\"} 1\n# EOF\n");
        assertEquals(List.of(), OpenMetricsBlockSplitter.split(noTimestamp, dir.resolve("a")));
        Path exemplar = dir.resolve("exemplar.om");
        Files.writeString(exemplar, "# TYPE c counter\nc_total 1 1000 # {trace_id=\"x\"} 1 1000\n# EOF\n");
        assertEquals(List.of(), OpenMetricsBlockSplitter.split(exemplar, dir.resolve("b")));
    }
}
