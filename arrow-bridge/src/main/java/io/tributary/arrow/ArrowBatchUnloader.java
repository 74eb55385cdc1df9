package io.tributary.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.unsafe.Platform;

/**
 * Turns a filled {@link VectorSchemaRoot} into a record batch as Arrow's {@code VectorUnloader} does, except for
 * vectors holding no values: their buffers are written empty, but for the one offset (0) a list, map, string or
 * binary array of length 0 has. A list vector that never allocated (a nested list all of whose parents are null or
 * empty, e.g. an array of maps that is null in every row of a batch) holds the allocator's one shared empty buffer,
 * on which Arrow Java 19 sets a writer index of 4 bytes: the IPC writer then writes buffers shorter than the batch's
 * metadata says, which Polars 1.44 refuses to memory-map ("buffer's length is too small in mmap") and the
 * compressing codecs fail on (IndexOutOfBoundsException).
 */
public final class ArrowBatchUnloader {
    /** Buffer 0 is validity, buffer 1 the offsets, for list, map, string and binary vectors alike. */
    private static final int VALIDITY = 0;

    private static final int OFFSETS = 1;
    /** A string or binary vector's buffer 2 holds the values' bytes. */
    private static final int DATA = 2;
    /** Bytes of one view, and the longest value a view holds inline. */
    private static final int VIEW_BYTES = 16;

    private static final int INLINE_BYTES = 12;

    private ArrowBatchUnloader() {}

    /** The batch holds its own references to the buffers: close it after writing, then reset the root. */
    public static ArrowRecordBatch unload(VectorSchemaRoot root, CompressionCodec codec) {
        return unload(root, codec, root.getSchema());
    }

    /**
     * As {@link #unload(VectorSchemaRoot, CompressionCodec)}, in the layout of {@code written}: the root's schema,
     * or that schema passed through {@link ArrowStringViews#toViews}, whose view fields are written from the root's
     * plain string and binary vectors.
     */
    public static ArrowRecordBatch unload(VectorSchemaRoot root, CompressionCodec codec, Schema written) {
        List<ArrowFieldNode> nodes = new ArrayList<>();
        List<ArrowBuf> buffers = new ArrayList<>();
        List<Long> variadicBufferCounts = new ArrayList<>();
        Unloaded out = new Unloaded(nodes, buffers, variadicBufferCounts, codec);
        try {
            List<FieldVector> vectors = root.getFieldVectors();
            for (int i = 0; i < vectors.size(); i++) {
                append(vectors.get(i), written.getFields().get(i), out);
            }
        } catch (RuntimeException e) {
            buffers.forEach(ArrowBuf::close);
            throw e;
        }
        return new ArrowRecordBatch(
                root.getRowCount(),
                nodes,
                buffers,
                CompressionUtil.createBodyCompression(codec),
                variadicBufferCounts,
                true,
                false);
    }

    /** What a batch is made of, gathered vector by vector. */
    private record Unloaded(
            List<ArrowFieldNode> nodes,
            List<ArrowBuf> buffers,
            List<Long> variadicBufferCounts,
            CompressionCodec codec) {
        /** The codec takes the reference and returns the one the batch holds (the same buffer if uncompressed). */
        void add(BufferAllocator allocator, ArrowBuf buffer) {
            buffers.add(codec.compress(allocator, buffer));
        }
    }

    private static void append(FieldVector vector, Field written, Unloaded out) {
        out.nodes().add(new ArrowFieldNode(vector.getValueCount(), vector.getNullCount()));
        if (ArrowStringViews.isView(written) && vector instanceof BaseVariableWidthVector plain) {
            appendViews(plain, out);
            return;
        }
        List<ArrowBuf> own = vector.getFieldBuffers();
        boolean hasOffsets = vector instanceof BaseVariableWidthVector || vector instanceof ListVector;
        BufferAllocator allocator = vector.getAllocator();
        for (int i = 0; i < own.size(); i++) {
            ArrowBuf buffer;
            if (vector.getValueCount() > 0) {
                buffer = retained(vector, own, i);
            } else {
                buffer = empty(allocator);
                if (i == OFFSETS && hasOffsets) {
                    buffer.setInt(0, 0);
                    buffer.writerIndex(Integer.BYTES);
                }
            }
            out.add(allocator, buffer);
        }
        List<FieldVector> children = vector.getChildrenFromFields();
        for (int c = 0; c < children.size(); c++) {
            append(children.get(c), written.getChildren().get(c), out);
        }
    }

    /**
     * A string or binary vector as a view: the validity bits as they are, a new view buffer made from the offsets,
     * and the vector's data buffer as the one variadic buffer that values longer than 12 bytes point into (so no
     * value is copied twice), or no variadic buffer when every value fits inline.
     */
    private static void appendViews(BaseVariableWidthVector vector, Unloaded out) {
        BufferAllocator allocator = vector.getAllocator();
        int count = vector.getValueCount();
        if (count == 0) {
            out.add(allocator, empty(allocator));
            out.add(allocator, empty(allocator));
            out.variadicBufferCounts().add(0L);
            return;
        }
        List<ArrowBuf> own = vector.getFieldBuffers(); // validity, offsets, data; sets their writer indexes
        ArrowBuf views = allocator.buffer((long) count * VIEW_BYTES);
        boolean pointsIntoData;
        try {
            ArrowBuf data = own.get(DATA);
            pointsIntoData = writeViews(
                    own.get(OFFSETS).memoryAddress(),
                    data.memoryAddress(),
                    data.capacity(),
                    views.memoryAddress(),
                    count);
            views.writerIndex((long) count * VIEW_BYTES);
        } catch (RuntimeException e) {
            views.close();
            throw e;
        }
        out.add(allocator, retained(vector, own, VALIDITY));
        out.add(allocator, views);
        if (pointsIntoData) {
            out.add(allocator, retained(vector, own, DATA));
        }
        out.variadicBufferCounts().add(pointsIntoData ? 1L : 0L);
    }

    /**
     * Writes one 16-byte view per value: its length, then up to 12 bytes inline (zero padded), or for a longer value
     * its first 4 bytes, buffer 0 and its offset in the data. Returns whether any value is longer than 12 bytes.
     */
    static boolean writeViews(long offsets, long data, long dataCapacity, long views, int count) {
        boolean pointsIntoData = false;
        int start = Platform.getInt(null, offsets);
        for (int i = 0; i < count; i++) {
            int end = Platform.getInt(null, offsets + (i + 1L) * Integer.BYTES);
            int length = end - start;
            long view = views + (long) i * VIEW_BYTES;
            if (length > INLINE_BYTES) {
                Platform.putLong(
                        null, view, (length & 0xFFFFFFFFL) | ((long) Platform.getInt(null, data + start) << 32));
                Platform.putLong(null, view + 8, (long) start << 32); // buffer index 0, then the offset
                pointsIntoData = true;
            } else if (start + 2L * Long.BYTES <= dataCapacity) {
                // Two whole words are there to read: take the value's bytes out of them, the rest zeroed.
                long first = Platform.getLong(null, data + start) & lowBytes(length);
                long second = Platform.getLong(null, data + start + Long.BYTES) & lowBytes(length - Long.BYTES);
                Platform.putLong(null, view, (length & 0xFFFFFFFFL) | (first << 32));
                Platform.putLong(null, view + 8, (first >>> 32) | (second << 32));
            } else {
                Platform.putLong(null, view, length & 0xFFFFFFFFL);
                Platform.putLong(null, view + 8, 0L);
                Platform.copyMemory(null, data + start, null, view + Integer.BYTES, length);
            }
            start = end;
        }
        return pointsIntoData;
    }

    /** A mask of the low {@code n} bytes of a little-endian word (none for n <= 0, all for n >= 8). */
    private static long lowBytes(int n) {
        return n <= 0 ? 0L : n >= Long.BYTES ? -1L : (1L << (n * Byte.SIZE)) - 1;
    }

    private static ArrowBuf retained(FieldVector vector, List<ArrowBuf> own, int i) {
        ArrowBuf buffer = own.get(i);
        if (buffer.writerIndex() > buffer.capacity()) {
            // Written as it is, the file would be unreadable; never write it.
            throw new IllegalStateException("Arrow vector " + vector.getField() + " claims " + buffer.writerIndex()
                    + " bytes in buffer " + i + " of " + buffer.capacity());
        }
        buffer.getReferenceManager().retain();
        return buffer;
    }

    /** Not allocator.getEmpty(): that one buffer is shared, and Arrow sets its writer index (see above). */
    private static ArrowBuf empty(BufferAllocator allocator) {
        return allocator.buffer(Integer.BYTES);
    }
}
