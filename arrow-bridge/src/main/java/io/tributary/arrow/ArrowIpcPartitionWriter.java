package io.tributary.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.types.StructType;

/**
 * Writes one task's rows as one Arrow IPC file (Feather v2), in record batches of {@code maxRecordsPerBatch} rows.
 * The path is inside Spark's task-attempt directory; Spark's commit protocol moves it into place.
 */
final class ArrowIpcPartitionWriter extends OutputWriter {
    private final String path;
    private final BufferAllocator allocator;
    private final ArrowBatchBuilder batch;
    private final BatchFileWriter fileWriter;
    private final CompressionCodec codec;
    private boolean closed;

    ArrowIpcPartitionWriter(String path, StructType dataSchema, Configuration conf, ArrowWriteOptions options) {
        this.path = path;
        this.allocator = new RootAllocator();
        WritableByteChannel out = null;
        ArrowBatchBuilder builder = null;
        try {
            out = ArrowOutputChannels.create(new Path(path), conf);
            builder = new ArrowBatchBuilder(
                    SparkToArrowSchema.toExportedArrow(dataSchema), allocator, options.maxRecordsPerBatch());
            this.fileWriter = new BatchFileWriter(builder.root(), out);
            this.codec = options.compression().newCodec();
            fileWriter.start();
            this.batch = builder;
        } catch (IOException | RuntimeException e) {
            // Nothing stays open: Spark's abort deletes the file but cannot close what this writer never returned.
            closeQuietly(out, e);
            if (builder != null) {
                builder.close();
            }
            allocator.close();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("Cannot create Arrow file " + path, io);
            }
            throw (RuntimeException) e;
        }
    }

    private static void closeQuietly(WritableByteChannel channel, Exception failure) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public void write(InternalRow row) {
        batch.append(row);
        if (batch.isFull()) {
            flush();
        }
    }

    private void flush() {
        try (ArrowRecordBatch recordBatch = ArrowBatchUnloader.unload(batch.finish(), codec)) {
            fileWriter.write(recordBatch);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write a record batch to " + path, e);
        }
        batch.reset();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!batch.isEmpty()) {
                flush();
            }
            fileWriter.end();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot finish Arrow file " + path, e);
        } finally {
            fileWriter.close();
            batch.close();
            allocator.close();
        }
    }

    @Override
    public String path() {
        return path;
    }

    /** Arrow's file writer, writing the batches {@link ArrowBatchUnloader} made instead of unloading the root itself. */
    private static final class BatchFileWriter extends ArrowFileWriter {
        BatchFileWriter(VectorSchemaRoot root, WritableByteChannel out) {
            super(root, null, out);
        }

        void write(ArrowRecordBatch batch) throws IOException {
            writeRecordBatch(batch);
        }
    }
}
