package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SparkToArrowSchemaTest {

    @Test
    void mapsEveryTypeAndRoundTripsThroughTheReaderMapping() {
        Schema arrow = SparkToArrowSchema.toArrow(AllTypesData.SCHEMA);
        assertEquals(
                "Schema<id: Int(32, true) not null, b: Bool, i8: Int(8, true), i16: Int(16, true), "
                        + "i64: Int(64, true), f32: FloatingPoint(SINGLE), f64: FloatingPoint(DOUBLE), "
                        + "dec: Decimal(10, 2, 128), bigdec: Decimal(38, 10, 128), s: Utf8, bin: Binary, d: Date(DAY), "
                        + "ts: Timestamp(MICROSECOND, UTC), ntz: Timestamp(MICROSECOND, null), arr: List<element: Int(32, true)>, "
                        + "arr_s: List<element: Utf8>, m: Map(false)<entries: Struct<key: Utf8 not null, value: Int(64, true)> "
                        + "not null>, st: Struct<x: Int(32, true), y: Utf8, z: List<element: FloatingPoint(DOUBLE)>>, "
                        + "v: Null, m_s: Map(false)<entries: Struct<key: Utf8 not null, value: Utf8> not null>, "
                        + "m_st: Map(false)<entries: Struct<key: Utf8 not null, value: Struct<a: Int(32, true), b: Utf8>> "
                        + "not null>, a_m: List<element: Map(false)<entries: Struct<key: Utf8 not null, "
                        + "value: Int(32, true)> not null>>, m_nn: Map(false)<entries: Struct<key: Int(32, true) not null, "
                        + "value: FloatingPoint(DOUBLE) not null> not null>, st_nn: Struct<n: Int(32, true) not null, "
                        + "t: Utf8 not null, l: List<element: Int(32, true)> not null, q: Decimal(10, 2, 128) not null, "
                        + "flag: Bool not null>>",
                arrow.toString());
        assertEquals(AllTypesData.SCHEMA, ArrowToSparkSchema.toSpark(arrow));
    }

    @Test
    void exportedMapsAreMarkedListsOfEntriesAndReadBackAsMaps() {
        Schema arrow = SparkToArrowSchema.toExportedArrow(AllTypesData.SCHEMA);
        Schema arrowMaps = SparkToArrowSchema.toArrow(AllTypesData.SCHEMA);
        Map<String, String> marker = Map.of("tributary.spark.type", "map");
        for (String name : List.of("m", "m_s", "m_st", "m_nn")) {
            Field list = arrow.findField(name);
            Field map = arrowMaps.findField(name);
            assertEquals(new ArrowType.List(), list.getType(), name);
            assertEquals(marker, list.getMetadata(), name);
            // The same entries (non-null struct, non-null key) as Arrow's Map, so both hold the same buffers.
            assertEquals(map.getChildren(), list.getChildren(), name);
        }
        Field inArray = arrow.findField("a_m").getChildren().get(0);
        assertEquals(
                "element: List<entries: Struct<key: Utf8 not null, value: Int(32, true)> not null>",
                inArray.toString());
        assertEquals(marker, inArray.getMetadata());
        for (Field f : arrow.getFields()) {
            if (!Set.of("m", "m_s", "m_st", "m_nn", "a_m").contains(f.getName())) {
                assertEquals(arrowMaps.findField(f.getName()), f, f.getName());
            }
        }
        assertEquals(AllTypesData.SCHEMA, ArrowToSparkSchema.toSpark(arrow));
    }

    @Test
    void listMarkedAsMapMustHoldKeyValueStructs() {
        Field notEntries = new Field(
                "tags",
                new FieldType(true, ArrowType.List.INSTANCE, null, Map.of("tributary.spark.type", "map")),
                List.of(new Field("element", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ArrowToSparkSchema.toSpark(new Schema(List.of(notEntries))));
        assertEquals(
                "Column 'tags' is marked as a Spark map (field metadata tributary.spark.type=map) but is List "
                        + "of Utf8 []; a map must be a list of structs with the fields key and value",
                e.getMessage());
    }

    @Test
    void rejectsNestedUnsupportedTypeNamingItsPath() {
        StructType schema = new StructType()
                .add("ok", DataTypes.IntegerType)
                .add(
                        "events",
                        DataTypes.createArrayType(new StructType()
                                .add("at", DataTypes.TimestampType)
                                .add("gap", DataTypes.CalendarIntervalType)));
        assertFalse(SparkToArrowSchema.isSupported(schema));
        assertTrue(SparkToArrowSchema.isSupported(AllTypesData.SCHEMA));
        assertEquals(
                "Column 'events.element.gap' has type INTERVAL, which the Arrow writer cannot export; "
                        + "supported types: " + SparkToArrowSchema.SUPPORTED,
                assertThrows(IllegalArgumentException.class, () -> SparkToArrowSchema.toArrow(schema))
                        .getMessage());
    }
}
