package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ArrowBatchUnloaderTest {

    @Test
    void vectorsWithoutValuesGetEmptyBuffersAndOneOffset() {
        // Every row's array of maps is null: the maps' list vector never allocates its buffers.
        StructType schema = new StructType()
                .add("id", DataTypes.IntegerType)
                .add(
                        "a_m",
                        DataTypes.createArrayType(
                                DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType, true), true));
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder batch =
                        new ArrowBatchBuilder(SparkToArrowSchema.toExportedArrow(schema), allocator, 10)) {
            batch.append(new GenericInternalRow(new Object[] {1, null}));
            batch.append(new GenericInternalRow(new Object[] {2, null}));
            try (ArrowRecordBatch unloaded = ArrowBatchUnloader.unload(batch.finish(), NoCompressionCodec.INSTANCE)) {
                List<String> nodes = new ArrayList<>();
                for (ArrowFieldNode node : unloaded.getNodes()) {
                    nodes.add(node.getLength() + "/" + node.getNullCount());
                }
                List<Long> sizes = new ArrayList<>();
                for (ArrowBuf buffer : unloaded.getBuffers()) {
                    sizes.add(buffer.readableBytes());
                }
                // id, a_m, its maps (list), their entries (struct), key (string), value (int).
                assertEquals(List.of("2/0", "2/2", "0/0", "0/0", "0/0", "0/0"), nodes);
                // id: validity, values; a_m: validity, 3 offsets; maps: no validity, one offset; entries: no
                // validity; key: no validity, one offset, no data; value: no validity, no data.
                assertEquals(List.of(1L, 8L, 1L, 12L, 0L, 4L, 0L, 0L, 4L, 0L, 0L, 0L), sizes);
            }
        }
    }

    @Test
    void aStringColumnWithOnlyNullsGetsADataBufferOfItsOwnWhateverTheSharedEmptyBufferSays() {
        StructType schema = new StructType().add("s", DataTypes.StringType).add("bin", DataTypes.BinaryType);
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder batch =
                        new ArrowBatchBuilder(SparkToArrowSchema.toExportedArrow(schema), allocator, 10)) {
            batch.append(new GenericInternalRow(new Object[] {null, null}));
            batch.append(new GenericInternalRow(new Object[] {null, new byte[0]}));
            VectorSchemaRoot root = batch.finish();
            // The data buffers were never allocated: they are the JVM's one empty buffer, whose writer index any
            // thread's vectors may have set at this moment (a never-allocated list vector sets 4).
            ArrowBuf shared = root.getVector("s").getDataBuffer();
            assertEquals(0, shared.capacity());
            assertSame(allocator.getEmpty(), shared);
            shared.writerIndex(4);
            try (ArrowRecordBatch unloaded = ArrowBatchUnloader.unload(root, NoCompressionCodec.INSTANCE)) {
                List<Long> sizes = new ArrayList<>();
                for (ArrowBuf buffer : unloaded.getBuffers()) {
                    assertNotSame(shared, buffer);
                    sizes.add(buffer.readableBytes());
                }
                // s: validity, 3 offsets, no data; bin: the same.
                assertEquals(List.of(1L, 12L, 0L, 1L, 12L, 0L), sizes);
            } finally {
                shared.writerIndex(0);
            }
        }
    }
}
