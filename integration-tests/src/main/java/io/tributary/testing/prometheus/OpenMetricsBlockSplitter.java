package io.tributary.testing.prometheus;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits an OpenMetrics file into one file per 2-hour TSDB block, each a valid OpenMetrics file with the family
 * metadata its samples need and its own {@code # EOF}.
 *
 * <p>Why: promtool 2.42 re-parses the whole input once for every 2-hour block it writes, so backfilling grows with
 * the square of the history's length (3 days, 36 blocks: ≈170 s on a busy 2-core machine). One promtool run per
 * block-sized file parses each sample once (≈0.35 s a block for 200 series at 15 s).
 */
final class OpenMetricsBlockSplitter {
    /** promtool's block length; blocks are aligned to multiples of it since the epoch. */
    static final long BLOCK_MILLIS = 2 * 60 * 60 * 1000L;
    /** Beyond this many blocks, open files could run into the process limit: then promtool gets the whole file. */
    static final int MAX_BLOCKS = 400;

    private static final int BUFFER_CHARS = 1 << 16;

    private OpenMetricsBlockSplitter() {}

    /**
     * Writes {@code chunkDir/block-N.om} files, ordered by time, or returns an empty list when the file cannot be
     * split safely (a sample line without a plain trailing timestamp, exemplars, or more than {@value #MAX_BLOCKS}
     * blocks); promtool then reads the whole file and reports any problem in it itself.
     */
    static List<Path> split(Path openMetricsFile, Path chunkDir) throws IOException {
        Files.createDirectories(chunkDir);
        Map<Long, Chunk> chunks = new TreeMap<>();
        boolean splittable = true;
        try (BufferedReader in = Files.newBufferedReader(openMetricsFile, StandardCharsets.UTF_8)) {
            List<String> metadata = new ArrayList<>();
            boolean metadataOpen = true;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("# EOF")) {
                    break;
                }
                if (line.startsWith("#")) {
                    if (!metadataOpen) {
                        metadata = new ArrayList<>();
                        metadataOpen = true;
                    }
                    metadata.add(line);
                    continue;
                }
                metadataOpen = false;
                long millis = trailingTimestampMillis(line);
                if (millis == Long.MIN_VALUE) {
                    splittable = false;
                    break;
                }
                long block = Math.floorDiv(millis, BLOCK_MILLIS);
                Chunk chunk = chunks.get(block);
                if (chunk == null) {
                    if (chunks.size() == MAX_BLOCKS) {
                        splittable = false;
                        break;
                    }
                    chunk = new Chunk(chunkDir.resolve("block-" + block + ".om"));
                    chunks.put(block, chunk);
                }
                chunk.write(metadata, line);
            }
        } finally {
            for (Chunk chunk : chunks.values()) {
                chunk.finish();
            }
        }
        if (!splittable) {
            return List.of();
        }
        return chunks.values().stream().map(c -> c.file).toList();
    }

    /** The timestamp (seconds, maybe fractional) ending a sample line, in milliseconds; MIN_VALUE if none. */
    private static long trailingTimestampMillis(String line) {
        if (line.contains(" # ")) {
            return Long.MIN_VALUE; // an exemplar: its own timestamp would be mistaken for the sample's
        }
        int space = line.lastIndexOf(' ');
        int labelsEnd = line.lastIndexOf('}');
        if (space < 0 || space < labelsEnd || line.indexOf(' ', Math.max(labelsEnd, 0)) == space) {
            return Long.MIN_VALUE; // only one token after the name and labels: the value, no timestamp
        }
        try {
            return new BigDecimal(line.substring(space + 1)).movePointRight(3).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    /** One block's file; writes a family's metadata before that family's first sample in this block. */
    private static final class Chunk {
        final Path file;
        private final Writer out;
        private List<String> writtenMetadata;

        Chunk(Path file) throws IOException {
            this.file = file;
            this.out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), BUFFER_CHARS);
        }

        void write(List<String> metadata, String sample) throws IOException {
            if (metadata != writtenMetadata) {
                for (String line : metadata) {
                    out.write(line);
                    out.write('\n');
                }
                writtenMetadata = metadata;
            }
            out.write(sample);
            out.write('\n');
        }

        void finish() throws IOException {
            try (out) {
                out.write("# EOF\n");
            }
        }
    }
}
