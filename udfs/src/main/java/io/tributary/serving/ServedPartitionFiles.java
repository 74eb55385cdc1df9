package io.tributary.serving;

import io.tributary.arrow.ArrowBatchBuilder;
import io.tributary.arrow.ArrowBatchUnloader;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.SparkEnv;

/**
 * Puts one partition into the executor's {@link ServedPartitionRegistry} under its serving id and index: either written
 * whole as an Arrow IPC stream file in Spark's local directories (where shuffle files go), then registered, or
 * registered first and handed over batch by batch as its task computes it. Every transport serves partitions made
 * here, so they are all made and cleaned up the same way.
 */
public final class ServedPartitionFiles {
    private ServedPartitionFiles() {}

    /** The rows of one partition, handed over a batch at a time. */
    @FunctionalInterface
    public interface BatchSource {
        /** Fills the builder until it is full or the rows end; false when no row was left. */
        boolean fill(ArrowBatchBuilder batch);
    }

    /**
     * Writes the whole partition, then registers it. A write that fails leaves no file and nothing registered.
     *
     * @param schema the Arrow schema of the file, from {@link io.tributary.arrow.SparkToArrowSchema}: {@code toArrow}
     *     (maps as Arrow maps, as Python transforms read them) or {@code toExportedArrow} (as the Arrow export
     *     writes its files)
     * @param batchRows rows per record batch
     */
    public static void writeAndRegister(
            String servingId,
            int index,
            byte[] secretHash,
            Duration timeToLive,
            Schema schema,
            int batchRows,
            BatchSource rows)
            throws IOException {
        Path file = newFile();
        try {
            write(schema, batchRows, rows, file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        ServedPartitionRegistry.shared().register(servingId, index, file, secretHash, timeToLive);
    }

    /**
     * Registers the partition, then computes it: a transport can send each record batch as soon as it is made, while
     * the task makes the next. Once the partition's reader is attached, batches wait for it in memory, up to
     * {@code memoryBytes} of them; the rest go through a file in Spark's local directories (see
     * {@link StreamedPartition}). {@code started} runs once the first batch (or, for an empty partition, the end) is
     * handed over. If the rows fail, the reader gets that failure instead of the rest, and the exception is rethrown
     * (failing the task). When the partition is discarded (sent, the client gone, expired, released), the task stops
     * at the next batch.
     */
    public static void writeWhileServing(
            String servingId,
            int index,
            byte[] secretHash,
            Duration timeToLive,
            Schema schema,
            int batchRows,
            long memoryBytes,
            BatchSource rows,
            Runnable started)
            throws IOException {
        StreamedPartition partition = new StreamedPartition(
                schema, memoryBytes, newFile(), ServedPartitionRegistry.describe(servingId, index));
        ServedPartitionRegistry.shared().register(servingId, index, partition, secretHash, timeToLive);
        // A batch handed over in memory keeps its builder's buffers until the reader (and its transport) let them go,
        // so the next batch takes a builder nobody holds, or a new one: at most as many as the memory budget lets
        // wait, plus those being sent.
        List<ArrowBatchBuilder> builders = new ArrayList<>();
        try {
            boolean announced = false;
            while (!partition.discarded()) {
                ArrowBatchBuilder batch = unheldBuilder(builders, schema, batchRows);
                if (!rows.fill(batch)) {
                    break;
                }
                partition.add(ArrowBatchUnloader.unload(batch.finish(), NoCompressionCodec.INSTANCE));
                if (!announced) {
                    started.run();
                    announced = true;
                }
            }
            partition.complete();
            if (!announced) {
                started.run();
            }
        } catch (IOException | RuntimeException e) {
            partition.fail(e.toString());
            partition.discard();
            throw e;
        } finally {
            // Closing a builder drops only its own references: a batch still waiting or being sent keeps its buffers.
            builders.forEach(ArrowBatchBuilder::close);
        }
    }

    /** A builder whose last batch nobody holds any more, reset; or a new one. */
    private static ArrowBatchBuilder unheldBuilder(List<ArrowBatchBuilder> builders, Schema schema, int batchRows) {
        for (ArrowBatchBuilder builder : builders) {
            if (!builder.isHeld()) {
                builder.reset();
                return builder;
            }
        }
        ArrowBatchBuilder builder = new ArrowBatchBuilder(schema, ServedPartition.allocator(), batchRows);
        builders.add(builder);
        return builder;
    }

    private static Path newFile() {
        return SparkEnv.get()
                .blockManager()
                .diskBlockManager()
                .createTempLocalBlock()
                ._2()
                .toPath();
    }

    private static void write(Schema schema, int batchRows, BatchSource rows, Path file) throws IOException {
        // A FileChannel takes Arrow's off-heap buffers straight to the kernel; an OutputStream would copy each to
        // the heap first, in 8 KiB pieces.
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder batch = new ArrowBatchBuilder(schema, allocator, batchRows);
                FileChannel out = FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            WriteChannel stream = new WriteChannel(out);
            MessageSerializer.serialize(stream, schema);
            while (rows.fill(batch)) {
                // The Arrow export's unloader: Arrow's own writes empty nested lists with buffers shorter than the
                // batch's metadata says, which a reader of the stream cannot send on.
                try (ArrowRecordBatch recordBatch =
                        ArrowBatchUnloader.unload(batch.finish(), NoCompressionCodec.INSTANCE)) {
                    MessageSerializer.serialize(stream, recordBatch);
                }
                batch.reset();
            }
            ArrowStreamWriter.writeEndOfStream(stream, IpcOption.DEFAULT);
        }
    }
}
