package io.tributary.arrow;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;

/**
 * Runs on the executors: turns a partition's rows into serialized Arrow record-batch messages, lazily, one batch
 * at a time, so neither side holds more than a batch of rows in Arrow form.
 */
final class ArrowBatchEncoder implements FlatMapFunction<Iterator<InternalRow>, byte[]> {
    private static final long serialVersionUID = 1L;

    private final StructType schema;
    private final ArrowWriteOptions options;

    ArrowBatchEncoder(StructType schema, ArrowWriteOptions options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public Iterator<byte[]> call(Iterator<InternalRow> rows) {
        return new Iterator<>() {
            private BufferAllocator allocator;
            private ArrowBatchBuilder batch;
            private CompressionCodec codec;

            @Override
            public boolean hasNext() {
                if (rows.hasNext()) {
                    return true;
                }
                release();
                return false;
            }

            @Override
            public byte[] next() {
                if (!rows.hasNext()) {
                    throw new NoSuchElementException();
                }
                if (batch == null) {
                    allocator = new RootAllocator();
                    batch = new ArrowBatchBuilder(
                            SparkToArrowSchema.toExportedArrow(schema), allocator, options.maxRecordsPerBatch());
                    codec = options.compression().newCodec();
                    // A task that stops early (failure, kill, limit) still frees the Arrow memory.
                    TaskContext task = TaskContext.get();
                    if (task != null) {
                        task.addTaskCompletionListener((TaskCompletionListener) context -> release());
                    }
                }
                while (rows.hasNext() && !batch.isFull()) {
                    batch.append(rows.next());
                }
                byte[] message = encode();
                batch.reset();
                return message;
            }

            private byte[] encode() {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ArrowRecordBatch recordBatch = ArrowBatchUnloader.unload(batch.finish(), codec)) {
                    MessageSerializer.serialize(new WriteChannel(Channels.newChannel(bytes)), recordBatch);
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot serialize an Arrow record batch", e);
                }
                return bytes.toByteArray();
            }

            private void release() {
                if (batch != null) {
                    batch.close();
                    allocator.close();
                    batch = null;
                }
            }
        };
    }
}
