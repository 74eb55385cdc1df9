package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class ArrowStringViewsTest {
    private static final StructType SCHEMA = new StructType()
            .add("s", DataTypes.StringType)
            .add("bin", DataTypes.BinaryType)
            .add("st", new StructType().add("name", DataTypes.StringType).add("n", DataTypes.IntegerType))
            .add("arr", DataTypes.createArrayType(DataTypes.StringType))
            .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

    @Test
    void stringsAndBinariesBecomeViewsExceptAListsOwnElements() {
        Schema views = ArrowStringViews.toViews(SparkToArrowSchema.toExportedArrow(AllTypesData.SCHEMA));

        assertEquals("s: Utf8View", views.findField("s").toString());
        assertEquals("bin: BinaryView", views.findField("bin").toString());
        assertEquals("arr_s: List<element: Utf8>", views.findField("arr_s").toString());
        assertEquals(
                "st: Struct<x: Int(32, true), y: Utf8View, z: List<element: FloatingPoint(DOUBLE)>>",
                views.findField("st").toString());
        assertEquals(
                "m_st: List<entries: Struct<key: Utf8View not null, value: Struct<a: Int(32, true), b: Utf8View>>"
                        + " not null>",
                views.findField("m_st").toString());
        assertEquals(
                "a_m: List<element: List<entries: Struct<key: Utf8View not null, value: Int(32, true)> not null>>",
                views.findField("a_m").toString());
        assertEquals(
                "t: Utf8View not null",
                views.findField("st_nn").getChildren().get(1).toString());
        // The map marker stays, so the served schema still says which lists are Spark maps.
        assertEquals(
                Map.of("tributary.spark.type", "map"), views.findField("m_s").getMetadata());
    }

    @Test
    void viewsHoldTheValuesOfThePlainLayoutInlineAndInTheDataBuffer() throws IOException {
        String long13 = "thirteen byte";
        String unicode = "ünïcödé ✓ and then some more text";
        String huge = "x".repeat(5000);
        List<InternalRow> rows = List.of(
                row("", "", "exactly12byt", List.of(long13, ""), Map.of("k", unicode)),
                row(null, null, null, null, null),
                row(long13, "bin\u0000ary", unicode, Arrays.asList(null, "a"), Map.of(huge, "v")),
                row("exactly12byt", huge, "", List.of(), Map.of("", "")),
                row("五", "short", "x", List.of(huge), Map.of("kk", long13)));

        List<String> views = viewRoundTrip(rows, List.of(1L, 1L, 1L, 1L, 1L));
        assertEquals(plainRoundTrip(rows), views);
        assertEquals("[, null, thirteen byte, exactly12byt, 五]", views.get(0));
        assertEquals(
                "[{name=exactly12byt, n=7}, null, {name=" + unicode + ", n=7}, {name=, n=7}, {name=x, n=7}]",
                views.get(2));
    }

    @Test
    void shortValuesNeedNoDataBuffer() throws IOException {
        List<InternalRow> rows = List.of(
                row("a", "b", "c", List.of("d"), Map.of("e", "f")), row("exactly12byt", null, "", List.of(), Map.of()));

        // One count per view field (s, bin, st.name, m's key and value); the list's strings are no views.
        List<String> views = viewRoundTrip(rows, List.of(0L, 0L, 0L, 0L, 0L));
        assertEquals(plainRoundTrip(rows), views);
        assertEquals("[a, exactly12byt]", views.get(0));
    }

    private static InternalRow row(String s, String bin, String name, List<String> arr, Map<String, String> map) {
        Object struct = name == null ? null : new GenericInternalRow(new Object[] {utf8(name), 7});
        Object array = arr == null
                ? null
                : new GenericArrayData(
                        arr.stream().map(ArrowStringViewsTest::utf8).toArray());
        Object mapData = null;
        if (map != null) {
            mapData = new ArrayBasedMapData(
                    new GenericArrayData(map.keySet().stream()
                            .map(ArrowStringViewsTest::utf8)
                            .toArray()),
                    new GenericArrayData(map.values().stream()
                            .map(ArrowStringViewsTest::utf8)
                            .toArray()));
        }
        return new GenericInternalRow(
                new Object[] {utf8(s), bin == null ? null : bin.getBytes(StandardCharsets.UTF_8), struct, array, mapData
                });
    }

    private static UTF8String utf8(String s) {
        return s == null ? null : UTF8String.fromString(s);
    }

    private static List<String> plainRoundTrip(List<InternalRow> rows) throws IOException {
        Schema plain = SparkToArrowSchema.toExportedArrow(SCHEMA);
        return roundTrip(rows, plain, null);
    }

    private static List<String> viewRoundTrip(List<InternalRow> rows, List<Long> variadicBufferCounts)
            throws IOException {
        Schema views = ArrowStringViews.toViews(SparkToArrowSchema.toExportedArrow(SCHEMA));
        return roundTrip(rows, views, variadicBufferCounts);
    }

    /**
     * Builds the rows in one batch, writes it as a stream in the layout {@code written} and reads it back with
     * Arrow Java: the values as read, column by column, and the schema read first.
     */
    private static List<String> roundTrip(List<InternalRow> rows, Schema written, List<Long> variadicBufferCounts)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder batch =
                        new ArrowBatchBuilder(SparkToArrowSchema.toExportedArrow(SCHEMA), allocator, 100)) {
            rows.forEach(batch::append);
            WriteChannel out = new WriteChannel(Channels.newChannel(bytes));
            MessageSerializer.serialize(out, written);
            try (ArrowRecordBatch recordBatch =
                    ArrowBatchUnloader.unload(batch.finish(), NoCompressionCodec.INSTANCE, written)) {
                if (variadicBufferCounts != null) {
                    assertEquals(variadicBufferCounts, recordBatch.getVariadicBufferCounts());
                }
                MessageSerializer.serialize(out, recordBatch);
            }
            ArrowStreamWriter.writeEndOfStream(out, IpcOption.DEFAULT);
        }
        List<String> columns = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator();
                ArrowStreamReader reader =
                        new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            assertEquals(written, root.getSchema());
            while (reader.loadNextBatch()) {
                for (FieldVector vector : root.getFieldVectors()) {
                    List<Object> column = new ArrayList<>();
                    for (int r = 0; r < root.getRowCount(); r++) {
                        column.add(plainValue(vector.getObject(r)));
                    }
                    columns.add(column.toString());
                }
            }
        }
        return columns;
    }

    /** A value as text, whatever vector class held it: bytes as their list, nested values recursively. */
    private static Object plainValue(Object value) {
        if (value instanceof byte[] b) {
            return Arrays.toString(b);
        } else if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(plainValue(v)));
            return out;
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, plainValue(v)));
            return out;
        }
        return value == null ? null : value.toString();
    }
}
