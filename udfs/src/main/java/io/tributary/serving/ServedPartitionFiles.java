package io.tributary.serving;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.tributary.arrow.ArrowBatchBuilder;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.SparkEnv;

/**
 * Puts one partition into the executor's {@link ServedPartitionRegistry}: the rows written as an Arrow IPC stream file
 * in Spark's local directories (where shuffle files go), then registered under its serving id and index. Every
 * transport serves partitions made here, so they are all written and cleaned up the same way.
 */
public final class ServedPartitionFiles {
    private ServedPartitionFiles() {
    }

    /** The rows of one partition, handed over a batch at a time. */
    @FunctionalInterface
    public interface BatchSource {
        /** Fills the builder until it is full or the rows end; false when no row was left. */
        boolean fill(ArrowBatchBuilder batch);
    }

    /**
     * Writes the partition and registers it. A write that fails leaves no file and nothing registered.
     *
     * @param schema the Arrow schema of the file, from {@link io.tributary.arrow.SparkToArrowSchema}: {@code toArrow}
     *     (maps as Arrow maps, as Python transforms read them) or {@code toExportedArrow} (as the Arrow export
     *     writes its files)
     * @param batchRows rows per record batch
     */
    public static void writeAndRegister(String servingId, int index, byte[] secretHash, Duration timeToLive,
            Schema schema, int batchRows, BatchSource rows) throws IOException {
        Path file = SparkEnv.get().blockManager().diskBlockManager().createTempLocalBlock()._2().toPath();
        try {
            write(schema, batchRows, rows, file);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        ServedPartitionRegistry.shared().register(servingId, index, file, secretHash, timeToLive);
    }

    private static void write(Schema schema, int batchRows, BatchSource rows, Path file) throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder batch = new ArrowBatchBuilder(schema, allocator, batchRows);
                OutputStream out = Files.newOutputStream(file);
                ArrowStreamWriter stream = new ArrowStreamWriter(batch.root(), null, Channels.newChannel(out))) {
            stream.start();
            while (rows.fill(batch)) {
                batch.finish();
                stream.writeBatch();
                batch.reset();
            }
            stream.end();
        }
    }
}
