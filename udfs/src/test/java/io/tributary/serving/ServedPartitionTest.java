package io.tributary.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.arrow.ArrowBatchBuilder;
import io.tributary.arrow.ArrowBatchUnloader;
import io.tributary.arrow.SparkToArrowSchema;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition read while its task still computes it: batches reach the reader in order, in memory once it is attached
 * and within the budget, through the file otherwise; the reader gets the failure instead of the rest; a builder is
 * refilled only once nobody holds its batch.
 */
class ServedPartitionTest {
    private static final Schema SCHEMA = SparkToArrowSchema.toExportedArrow(
            new StructType().add("id", DataTypes.LongType).add("name", DataTypes.StringType));
    private static final Duration WAIT = Duration.ofMinutes(1);

    @TempDir
    Path tmp;

    private final List<ArrowBatchBuilder> builders = new ArrayList<>();
    private long allocatedBefore;

    @BeforeEach
    void noteAllocated() {
        allocatedBefore = ServedPartition.allocator().getAllocatedMemory();
    }

    @AfterEach
    void everyBufferIsFreed() {
        builders.forEach(ArrowBatchBuilder::close);
        assertEquals(allocatedBefore, ServedPartition.allocator().getAllocatedMemory(), "bytes still allocated");
    }

    private StreamedPartition partition(long memoryBytes) {
        return new StreamedPartition(SCHEMA, memoryBytes, tmp.resolve("p0"), "partition 0 of serving abc");
    }

    /** A batch of rows {@code first} to {@code first + count - 1}, named "row <id>", from a builder of its own. */
    private ArrowBatchBuilder filled(long first, int count) {
        ArrowBatchBuilder builder = new ArrowBatchBuilder(SCHEMA, ServedPartition.allocator(), count);
        builders.add(builder);
        for (long id = first; id < first + count; id++) {
            builder.append(new GenericInternalRow(new Object[] {id, UTF8String.fromString("row " + id)}));
        }
        return builder;
    }

    private static ArrowRecordBatch unload(ArrowBatchBuilder builder) {
        return ArrowBatchUnloader.unload(builder.finish(), NoCompressionCodec.INSTANCE);
    }

    /** Every row of the root as "id:name". */
    private static List<String> rows(VectorSchemaRoot root) {
        List<String> rows = new ArrayList<>();
        BigIntVector ids = (BigIntVector) root.getVector("id");
        VarCharVector names = (VarCharVector) root.getVector("name");
        for (int i = 0; i < root.getRowCount(); i++) {
            rows.add(ids.get(i) + ":" + names.getObject(i));
        }
        return rows;
    }

    @Test
    void aBatchMadeForAnAttachedReaderReachesItInMemoryWithoutACopy() throws Exception {
        StreamedPartition partition = partition(1 << 20);
        ArrowBatchBuilder builder = filled(0, 3);
        long builderIds = builder.root().getVector("id").getDataBufferAddress();

        ArrowBuf sending;
        try (ServedPartition.Batches batches = partition.openBatches(WAIT)) {
            partition.add(unload(builder));
            partition.complete();
            assertTrue(builder.isHeld(), "the batch waits for the reader");

            assertTrue(batches.loadNextBatch());
            assertEquals(List.of("0:row 0", "1:row 1", "2:row 2"), rows(batches.root()));
            assertEquals(builderIds, batches.root().getVector("id").getDataBufferAddress(), "the builder's own buffer");
            assertFalse(Files.exists(tmp.resolve("p0")), "nothing went through the file");
            assertTrue(builder.isHeld(), "the reader's root holds the batch");
            assertFalse(batches.loadNextBatch());

            // A transport that keeps the buffers past the call (gRPC until the socket took them) holds them too.
            sending = batches.root().getVector("id").getDataBuffer();
            sending.getReferenceManager().retain();
        }
        partition.discard();
        assertTrue(builder.isHeld(), "still being sent");
        sending.getReferenceManager().release();
        assertFalse(builder.isHeld(), "everybody let go: the builder may be refilled");
    }

    @Test
    void batchesBeforeTheReaderCameOrBeyondTheBudgetGoThroughTheFileInOrder() throws Exception {
        StreamedPartition partition = partition(10_000);
        partition.add(unload(filled(0, 2)));
        assertTrue(Files.size(tmp.resolve("p0")) > 0, "no reader yet: the first batch is in the file");

        try (ServedPartition.Batches batches = partition.openBatches(WAIT)) {
            ArrowBatchBuilder inMemory = filled(2, 2);
            partition.add(unload(inMemory));
            long fileSize = Files.size(tmp.resolve("p0"));
            ArrowBatchBuilder big = filled(4, 2_000);
            partition.add(unload(big));
            assertTrue(Files.size(tmp.resolve("p0")) > fileSize, "beyond the budget: through the file");
            assertFalse(big.isHeld(), "a batch written to the file frees its builder at once");
            ArrowBatchBuilder last = filled(2_004, 1);
            partition.add(unload(last));
            assertTrue(last.isHeld(), "back within the budget: in memory");
            partition.complete();

            List<String> read = new ArrayList<>();
            while (batches.loadNextBatch()) {
                read.addAll(rows(batches.root()));
            }
            List<String> expected = new ArrayList<>();
            for (long id = 0; id <= 2_004; id++) {
                expected.add(id + ":row " + id);
            }
            assertEquals(expected, read);
        }
        partition.discard();
        assertFalse(Files.exists(tmp.resolve("p0")), "discarding deletes the file");
    }

    @Test
    void withNoMemoryBudgetEveryBatchGoesThroughTheFile() throws Exception {
        StreamedPartition partition = partition(0);
        try (ServedPartition.Batches batches = partition.openBatches(WAIT)) {
            ArrowBatchBuilder builder = filled(7, 1);
            partition.add(unload(builder));
            partition.complete();
            assertFalse(builder.isHeld());
            assertTrue(batches.loadNextBatch());
            assertEquals(List.of("7:row 7"), rows(batches.root()));
            assertNotEquals(
                    builder.root().getVector("id").getDataBufferAddress(),
                    batches.root().getVector("id").getDataBufferAddress());
        }
        partition.discard();
    }

    @Test
    void theStreamsBytesAreTheSchemaEveryBatchInOrderAndTheEnd() throws Exception {
        StreamedPartition partition = partition(1 << 20);
        partition.add(unload(filled(0, 2)));
        ReadableByteChannel bytes = partition.openChannel(WAIT);
        try (RootAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(Channels.newInputStream(bytes), allocator)) {
            partition.add(unload(filled(2, 1)));
            partition.complete();
            List<String> read = new ArrayList<>();
            while (reader.loadNextBatch()) {
                read.addAll(rows(reader.getVectorSchemaRoot()));
            }
            assertEquals(List.of("0:row 0", "1:row 1", "2:row 2"), read);
            assertEquals(SCHEMA, reader.getVectorSchemaRoot().getSchema());
        }
        assertFalse(bytes.isOpen(), "closed with the reader");
        assertThrows(ClosedChannelException.class, () -> bytes.read(ByteBuffer.allocate(1)));
        partition.discard();
    }

    @Test
    void theReaderGetsTheComputationsFailureInsteadOfTheRest() throws Exception {
        StreamedPartition partition = partition(1 << 20);
        try (ServedPartition.Batches batches = partition.openBatches(WAIT)) {
            partition.add(unload(filled(0, 1)));
            partition.fail("java.lang.ArithmeticException: / by zero");

            IOException failure = assertThrows(IOException.class, batches::loadNextBatch);
            assertEquals(
                    "Computing partition 0 of serving abc failed: java.lang.ArithmeticException: / by zero",
                    failure.getMessage());
        }
        partition.discard();
    }

    @Test
    void aReaderWaitingLongerThanTheIdleTimeoutFails() throws Exception {
        StreamedPartition partition = partition(1 << 20);
        try (ServedPartition.Batches batches = partition.openBatches(Duration.ofMillis(50))) {
            IOException idle = assertThrows(IOException.class, batches::loadNextBatch);
            assertEquals(
                    "No data of partition 0 of serving abc came for PT0.05S while its task was computing it",
                    idle.getMessage());
        }
        partition.discard();
    }

    @Test
    void discardingFreesTheWaitingBatchesStopsTheWriterAndFailsTheReader() throws Exception {
        StreamedPartition partition = partition(1 << 20);
        partition.add(unload(filled(0, 1)));
        ServedPartition.Batches batches = partition.openBatches(WAIT);
        ArrowBatchBuilder waiting = filled(1, 1);
        partition.add(unload(waiting));

        partition.discard();

        assertTrue(partition.discarded(), "the writer sees it at its next batch");
        assertFalse(waiting.isHeld(), "the waiting batch was freed");
        assertFalse(Files.exists(tmp.resolve("p0")));
        ArrowBatchBuilder late = filled(2, 1);
        partition.add(unload(late));
        assertFalse(late.isHeld(), "a batch added after the discard is freed at once");
        IOException gone = assertThrows(IOException.class, batches::loadNextBatch);
        assertEquals("partition 0 of serving abc was discarded while it was being read", gone.getMessage());
        batches.close();
        IOException closed = assertThrows(IOException.class, () -> partition.openBatches(WAIT));
        assertEquals("partition 0 of serving abc was discarded", closed.getMessage());
    }
}
