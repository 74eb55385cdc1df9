package io.tributary.arrow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
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
    private final ArrowFileWriter fileWriter;
    private boolean closed;

    ArrowIpcPartitionWriter(String path, StructType dataSchema, Configuration conf, ArrowWriteOptions options) {
        this.path = path;
        this.allocator = new RootAllocator();
        try {
            Path file = new Path(path);
            FSDataOutputStream out = file.getFileSystem(conf).create(file, false);
            this.batch = new ArrowBatchBuilder(SparkToArrowSchema.toArrow(dataSchema), allocator,
                    options.maxRecordsPerBatch());
            this.fileWriter = new ArrowFileWriter(batch.root(), null, Channels.newChannel(out), null,
                    IpcOption.DEFAULT, options.compression().factory(), options.compression().codecType());
            fileWriter.start();
        } catch (IOException e) {
            allocator.close();
            throw new UncheckedIOException("Cannot create Arrow file " + path, e);
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
        batch.finish();
        try {
            fileWriter.writeBatch();
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
}
