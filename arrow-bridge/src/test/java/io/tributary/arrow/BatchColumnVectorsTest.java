package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnVector;
import org.junit.jupiter.api.Test;

/**
 * The direct reader must read every slot exactly as Spark's ArrowColumnVector reads it, values and nulls, for
 * batches as a stream reader loads them one after another into the same vectors.
 */
class BatchColumnVectorsTest extends SparkTestBase {
    private static final Set<DataType> FLAT = Set.of(
            DataTypes.IntegerType,
            DataTypes.BooleanType,
            DataTypes.ByteType,
            DataTypes.ShortType,
            DataTypes.LongType,
            DataTypes.FloatType,
            DataTypes.DoubleType,
            DataTypes.StringType,
            DataTypes.BinaryType,
            DataTypes.DateType,
            DataTypes.TimestampType,
            DataTypes.TimestampNTZType);

    @Test
    void readsEveryFlatColumnAsArrowColumnVectorDoesBatchAfterBatch() throws IOException {
        List<InternalRow> rows = AllTypesData.internalRows(spark);
        // Batches [1, 2] (no nulls but the always-null column) [3, 4] [5, 6]: the same vectors, reloaded.
        byte[] stream = stream(rows, 2);
        int batches = 0;
        int directColumns = 0;
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(stream), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                batches++;
                for (FieldVector vector : root.getFieldVectors()) {
                    ColumnVector direct = BatchColumnVectors.of(vector);
                    ArrowColumnVector expected = new ArrowColumnVector(vector);
                    assertEquals(expected.dataType(), direct.dataType(), vector.getName());
                    if (FLAT.contains(direct.dataType())) {
                        assertInstanceOf(DirectArrowColumnVector.class, direct, vector.getName());
                        directColumns++;
                    }
                    assertSameSlots(expected, direct, root.getRowCount(), vector.getName() + " batch " + batches);
                }
            }
        }
        assertEquals(3, batches);
        assertEquals(3 * FLAT.size(), directColumns);
    }

    @Test
    void aBatchWithoutNullsReportsNone() throws IOException {
        List<InternalRow> rows = AllTypesData.internalRows(spark).subList(0, 2);
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader =
                        new ArrowStreamReader(new ByteArrayInputStream(stream(rows, 2)), allocator)) {
            assertTrue(reader.loadNextBatch());
            ColumnVector longs =
                    BatchColumnVectors.of(reader.getVectorSchemaRoot().getVector("i64"));
            assertFalse(longs.hasNull());
            assertEquals(0, longs.numNulls());
            assertFalse(longs.isNullAt(0));
            assertFalse(longs.isNullAt(1));
        }
    }

    private static void assertSameSlots(ArrowColumnVector expected, ColumnVector actual, int rows, String what) {
        assertEquals(expected.hasNull(), actual.hasNull(), what + ": hasNull");
        assertEquals(expected.numNulls(), actual.numNulls(), what + ": numNulls");
        DataType type = expected.dataType();
        for (int r = 0; r < rows; r++) {
            String slot = what + " row " + r;
            assertEquals(expected.isNullAt(r), actual.isNullAt(r), slot + ": isNullAt");
            if (expected.isNullAt(r) || !FLAT.contains(type)) {
                continue;
            }
            if (type == DataTypes.BooleanType) {
                assertEquals(expected.getBoolean(r), actual.getBoolean(r), slot);
            } else if (type == DataTypes.ByteType) {
                assertEquals(expected.getByte(r), actual.getByte(r), slot);
            } else if (type == DataTypes.ShortType) {
                assertEquals(expected.getShort(r), actual.getShort(r), slot);
            } else if (type == DataTypes.IntegerType || type == DataTypes.DateType) {
                assertEquals(expected.getInt(r), actual.getInt(r), slot);
            } else if (type == DataTypes.LongType
                    || type == DataTypes.TimestampType
                    || type == DataTypes.TimestampNTZType) {
                assertEquals(expected.getLong(r), actual.getLong(r), slot);
            } else if (type == DataTypes.FloatType) {
                assertEquals(
                        Float.floatToRawIntBits(expected.getFloat(r)),
                        Float.floatToRawIntBits(actual.getFloat(r)),
                        slot);
            } else if (type == DataTypes.DoubleType) {
                assertEquals(
                        Double.doubleToRawLongBits(expected.getDouble(r)),
                        Double.doubleToRawLongBits(actual.getDouble(r)),
                        slot);
            } else if (type == DataTypes.StringType) {
                assertEquals(expected.getUTF8String(r), actual.getUTF8String(r), slot);
            } else {
                assertArrayEquals(expected.getBinary(r), actual.getBinary(r), slot);
            }
        }
    }

    /** The rows as an Arrow IPC stream of batches of {@code batchRows}, as the worker and file readers get them. */
    private static byte[] stream(List<InternalRow> rows, int batchRows) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder builder =
                        new ArrowBatchBuilder(SparkToArrowSchema.toArrow(AllTypesData.SCHEMA), allocator, batchRows);
                ArrowStreamWriter writer = new ArrowStreamWriter(builder.root(), null, Channels.newChannel(bytes))) {
            writer.start();
            for (int i = 0; i < rows.size(); i++) {
                builder.append(rows.get(i));
                if (builder.isFull() || i == rows.size() - 1) {
                    builder.finish();
                    writer.writeBatch();
                    builder.reset();
                }
            }
            writer.end();
        }
        return bytes.toByteArray();
    }
}
