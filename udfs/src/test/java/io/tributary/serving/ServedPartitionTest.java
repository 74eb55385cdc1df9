package io.tributary.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A partition read while its task still writes it: readers get what is written, then the rest or the failure. */
class ServedPartitionTest {
    @TempDir
    Path tmp;

    @Test
    void aReaderGetsTheBatchesWrittenSoFarThenTheRestOnceWritten() throws Exception {
        Path file = tmp.resolve("p0");
        ServedPartition partition = ServedPartition.beingWritten(file, "partition 0 of serving abc");
        append(file, "first batch|");
        // Bytes beyond what the writer reported (a batch half flushed) are not handed out yet.
        append(file, "second");
        partition.written("first batch|".length());

        try (InputStream in = partition.open(Duration.ofMinutes(1))) {
            assertEquals("first batch|", new String(in.readNBytes("first batch|".length()), StandardCharsets.UTF_8));
            append(file, " batch|end");
            partition.complete(Files.size(file));
            assertEquals("second batch|end", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aReaderGetsTheComputationsFailureInsteadOfTheRest() throws Exception {
        Path file = tmp.resolve("p0");
        ServedPartition partition = withFirstBatch(file);

        try (InputStream in = partition.open(Duration.ofMinutes(1))) {
            assertArrayEquals("first batch|".getBytes(StandardCharsets.UTF_8), in.readNBytes(12));
            partition.fail("java.lang.ArithmeticException: / by zero");
            IOException failure = assertThrows(IOException.class, in::read);
            assertEquals(
                    "Computing partition 0 of serving abc failed: java.lang.ArithmeticException: / by zero",
                    failure.getMessage());
        }
    }

    @Test
    void discardingDeletesTheFileAndStopsTheWriter() throws Exception {
        Path file = tmp.resolve("p0");
        ServedPartition partition = withFirstBatch(file);

        partition.discard();

        assertFalse(Files.exists(file));
        assertEquals(true, partition.discarded(), "the writer sees it at its next batch");
    }

    /** A partition being written whose first batch, "first batch|", is in the file and reported. */
    private static ServedPartition withFirstBatch(Path file) throws IOException {
        ServedPartition partition = ServedPartition.beingWritten(file, "partition 0 of serving abc");
        append(file, "first batch|");
        partition.written(Files.size(file));
        return partition;
    }

    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
