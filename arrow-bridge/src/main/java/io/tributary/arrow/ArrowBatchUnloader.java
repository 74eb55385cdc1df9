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
    private static final int OFFSETS = 1;
    /** Buffer 2 is the data of string and binary vectors. */
    private static final int DATA = 2;

    private ArrowBatchUnloader() {}

    /** The batch holds its own references to the buffers: close it after writing, then reset the root. */
    public static ArrowRecordBatch unload(VectorSchemaRoot root, CompressionCodec codec) {
        List<ArrowFieldNode> nodes = new ArrayList<>();
        List<ArrowBuf> buffers = new ArrayList<>();
        try {
            for (FieldVector vector : root.getFieldVectors()) {
                append(vector, nodes, buffers, codec);
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
                List.of(),
                true,
                false);
    }

    private static void append(
            FieldVector vector, List<ArrowFieldNode> nodes, List<ArrowBuf> buffers, CompressionCodec codec) {
        nodes.add(new ArrowFieldNode(vector.getValueCount(), vector.getNullCount()));
        List<ArrowBuf> own = vector.getFieldBuffers();
        boolean hasOffsets = vector instanceof BaseVariableWidthVector || vector instanceof ListVector;
        BufferAllocator allocator = vector.getAllocator();
        for (int i = 0; i < own.size(); i++) {
            ArrowBuf buffer;
            if (vector.getValueCount() > 0 && own.get(i).capacity() == 0) {
                // A buffer the vector never allocated is the JVM's one shared empty buffer, whose writer index every
                // thread's vectors set (a never-allocated list sets 4): never put it in a batch, and never trust
                // its writer index. Only a string or binary vector whose values are all null or empty has no bytes
                // of data; any other buffer of a vector with values must have some.
                if (!(vector instanceof BaseVariableWidthVector strings
                        && i == DATA
                        && strings.getStartOffset(vector.getValueCount()) == 0)) {
                    throw new IllegalStateException("Arrow vector " + vector.getField() + " has "
                            + vector.getValueCount() + " values but no memory for buffer " + i);
                }
                buffer = allocator.buffer(Integer.BYTES);
            } else if (vector.getValueCount() > 0) {
                buffer = own.get(i);
                if (buffer.writerIndex() > buffer.capacity()) {
                    // Written as it is, the file would be unreadable; never write it.
                    throw new IllegalStateException("Arrow vector " + vector.getField() + " claims "
                            + buffer.writerIndex() + " bytes in buffer " + i + " of " + buffer.capacity());
                }
                buffer.getReferenceManager().retain();
            } else {
                // Not allocator.getEmpty(): that one buffer is shared, and Arrow sets its writer index (see above).
                buffer = allocator.buffer(Integer.BYTES);
                if (i == OFFSETS && hasOffsets) {
                    buffer.setInt(0, 0);
                    buffer.writerIndex(Integer.BYTES);
                }
            }
            // The codec takes the reference and returns the one the batch holds (the same buffer if uncompressed).
            buffers.add(codec.compress(allocator, buffer));
        }
        for (FieldVector child : vector.getChildrenFromFields()) {
            append(child, nodes, buffers, codec);
        }
    }
}
