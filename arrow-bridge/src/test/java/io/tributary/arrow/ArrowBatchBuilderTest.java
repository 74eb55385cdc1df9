package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.execution.RowToColumnConverter;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.junit.jupiter.api.Test;

/**
 * A builder reused across batches clears only the validity bits between batches, so these tests check that a
 * reused builder's batch is byte for byte the batch a fresh builder makes: no value of an earlier batch survives
 * in a null slot, an offset or a validity bit.
 */
class ArrowBatchBuilderTest extends SparkTestBase {
    private static final org.apache.arrow.vector.compression.CompressionCodec CODEC =
            org.apache.arrow.vector.compression.NoCompressionCodec.INSTANCE;

    /** Every type, as UnsafeRows in id order: 1 and 2 full of values, 3 all null, 4 to 6 mixed. */
    private static List<InternalRow> allTypesRows() {
        List<InternalRow> rows = AllTypesData.internalRows(spark);
        assertEquals(UnsafeRow.class, rows.get(0).getClass());
        return rows;
    }

    @Test
    void reusedBuilderWritesTheBuffersOfAFreshOne() {
        List<InternalRow> rows = allTypesRows();
        // Batches [1, 2] [3, 4] [5, 6]: the nulls of row 3 land in the slots row 1's values filled.
        List<List<byte[]>> reused = batches(rows, 2);
        for (int b = 0; b < 3; b++) {
            List<byte[]> fresh = batches(rows.subList(2 * b, 2 * b + 2), 2).get(0);
            assertBuffersEqual(fresh, reused.get(b), "batch " + b);
        }
    }

    @Test
    void shorterLastBatchKeepsNoBitsOfTheLongerOneBefore() {
        List<InternalRow> rows = allTypesRows();
        List<List<byte[]>> reused = batches(rows.subList(0, 5), 4);
        assertBuffersEqual(batches(rows.subList(4, 5), 4).get(0), reused.get(1), "last batch");
    }

    @Test
    void rowsThatAreNotUnsafeRowsWriteTheSameBuffers() {
        List<InternalRow> rows = allTypesRows();
        List<InternalRow> generic = new ArrayList<>();
        for (InternalRow row : rows) {
            Object[] values = new Object[row.numFields()];
            for (int c = 0; c < values.length; c++) {
                values[c] = row.get(c, AllTypesData.SCHEMA.fields()[c].dataType());
            }
            generic.add(new GenericInternalRow(values));
        }
        List<List<byte[]>> fromUnsafe = batches(rows, 2);
        List<List<byte[]>> fromGeneric = batches(generic, 2);
        for (int b = 0; b < 3; b++) {
            assertBuffersEqual(fromUnsafe.get(b), fromGeneric.get(b), "batch " + b);
        }
    }

    @Test
    void columnarBatchSlicesWriteTheBuffersOfTheirRows() {
        // Every type but the always-null column, which Spark keeps in no column vector.
        Dataset<Row> frame = AllTypesData.dataFrame(spark).drop("v").orderBy("id");
        StructType schema = frame.schema();
        List<InternalRow> rows = frame.queryExecution()
                .toRdd()
                .toJavaRDD()
                .map(InternalRow::copy)
                .collect();
        // Both layouts: maps as Arrow maps (Python transforms) and as lists of key/value structs (export, Flight).
        for (org.apache.arrow.vector.types.pojo.Schema layout :
                List.of(SparkToArrowSchema.toArrow(schema), SparkToArrowSchema.toExportedArrow(schema))) {
            List<List<byte[]>> fromRows = batches(rows, layout, 4);
            List<List<byte[]>> fromColumns = new ArrayList<>();
            try (BufferAllocator allocator = new RootAllocator();
                    ArrowBatchBuilder builder = new ArrowBatchBuilder(layout, allocator, 4);
                    ColumnarBatch columns = columnar(rows, schema)) {
                // Six rows into batches of four: a full slice [0, 4), then what is left, [4, 6).
                assertEquals(4, builder.appendColumns(columns, 0));
                assertTrue(builder.isFull());
                assertEquals(0, builder.appendColumns(columns, 4));
                fromColumns.add(buffers(builder));
                builder.reset();
                assertEquals(2, builder.appendColumns(columns, 4));
                assertEquals(0, builder.appendColumns(columns, 6));
                fromColumns.add(buffers(builder));
            }
            assertEquals(2, fromRows.size());
            for (int b = 0; b < 2; b++) {
                assertBuffersEqual(fromRows.get(b), fromColumns.get(b), "batch " + b + " of " + layout);
            }
        }
    }

    @Test
    void aBatchIsHeldWhileAnyOfItsBuffersIsRetainedAnywhere() {
        for (org.apache.arrow.vector.types.pojo.Schema schema : List.of(
                SparkToArrowSchema.toArrow(AllTypesData.SCHEMA),
                SparkToArrowSchema.toExportedArrow(AllTypesData.SCHEMA))) {
            try (BufferAllocator allocator = new RootAllocator();
                    ArrowBatchBuilder builder = new ArrowBatchBuilder(schema, allocator, 8)) {
                assertFalse(builder.isHeld(), "a new builder");
                allTypesRows().forEach(builder::append);
                assertFalse(builder.isHeld(), "filled, nothing unloaded");
                try (ArrowRecordBatch batch = ArrowBatchUnloader.unload(builder.finish(), CODEC)) {
                    assertTrue(builder.isHeld(), "unloaded, not closed");
                }
                assertFalse(builder.isHeld(), "closed");
                // Someone else (a transport sending the batch) keeps the buffers after the batch is closed, and lets
                // them go one by one: first to last, then last to first, so that the first and the last buffer are
                // each found held alone.
                for (boolean reversed : new boolean[] {false, true}) {
                    ArrowRecordBatch batch = ArrowBatchUnloader.unload(builder.finish(), CODEC);
                    List<ArrowBuf> buffers = new ArrayList<>(batch.getBuffers());
                    if (reversed) {
                        java.util.Collections.reverse(buffers);
                    }
                    buffers.forEach(buffer -> buffer.getReferenceManager().retain());
                    batch.close();
                    for (int i = 0; i < buffers.size(); i++) {
                        assertTrue(builder.isHeld(), "buffer " + i + " and later ones still retained");
                        buffers.get(i).getReferenceManager().release();
                    }
                    assertFalse(builder.isHeld(), "everybody let go");
                }
            }
        }
    }

    /** The rows in on-heap column vectors, as Spark's cache and vectorized Parquet reader hand them out. */
    private static ColumnarBatch columnar(List<InternalRow> rows, StructType schema) {
        WritableColumnVector[] vectors = OnHeapColumnVector.allocateColumns(rows.size(), schema);
        RowToColumnConverter converter = new RowToColumnConverter(schema);
        for (InternalRow row : rows) {
            converter.convert(row, vectors);
        }
        return new ColumnarBatch(vectors, rows.size());
    }

    /** The bytes of every buffer (as the IPC writer sends them) of each batch one builder makes from {@code rows}. */
    private static List<List<byte[]>> batches(List<InternalRow> rows, int maxRows) {
        return batches(rows, SparkToArrowSchema.toArrow(AllTypesData.SCHEMA), maxRows);
    }

    private static List<List<byte[]>> batches(
            List<InternalRow> rows, org.apache.arrow.vector.types.pojo.Schema layout, int maxRows) {
        List<List<byte[]>> out = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder builder = new ArrowBatchBuilder(layout, allocator, maxRows)) {
            for (int i = 0; i < rows.size(); i++) {
                builder.append(rows.get(i));
                if (builder.isFull() || i == rows.size() - 1) {
                    out.add(buffers(builder));
                    builder.reset();
                }
            }
        }
        return out;
    }

    private static List<byte[]> buffers(ArrowBatchBuilder builder) {
        List<byte[]> out = new ArrayList<>();
        try (ArrowRecordBatch batch = new VectorUnloader(builder.finish()).getRecordBatch()) {
            for (ArrowBuf buf : batch.getBuffers()) {
                byte[] bytes = new byte[(int) buf.readableBytes()];
                buf.getBytes(buf.readerIndex(), bytes);
                out.add(bytes);
            }
        }
        return out;
    }

    private static void assertBuffersEqual(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": buffer count");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), what + ": buffer " + i);
        }
    }
}
