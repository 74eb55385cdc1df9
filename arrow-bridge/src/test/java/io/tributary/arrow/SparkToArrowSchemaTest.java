package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SparkToArrowSchemaTest {

    @Test
    void mapsEveryTypeAndRoundTripsThroughTheReaderMapping() {
        Schema arrow = SparkToArrowSchema.toArrow(AllTypesData.SCHEMA);
        assertEquals("Schema<id: Int(32, true) not null, b: Bool, i8: Int(8, true), i16: Int(16, true), "
                + "i64: Int(64, true), f32: FloatingPoint(SINGLE), f64: FloatingPoint(DOUBLE), "
                + "dec: Decimal(10, 2, 128), bigdec: Decimal(38, 10, 128), s: Utf8, bin: Binary, d: Date(DAY), "
                + "ts: Timestamp(MICROSECOND, UTC), ntz: Timestamp(MICROSECOND, null), arr: List<element: Int(32, true)>, "
                + "arr_s: List<element: Utf8>, m: Map(false)<entries: Struct<key: Utf8 not null, value: Int(64, true)> "
                + "not null>, st: Struct<x: Int(32, true), y: Utf8, z: List<element: FloatingPoint(DOUBLE)>>, "
                + "v: Null>", arrow.toString());
        assertEquals(AllTypesData.SCHEMA, ArrowToSparkSchema.toSpark(arrow));
    }

    @Test
    void rejectsNestedUnsupportedTypeNamingItsPath() {
        StructType schema = new StructType().add("ok", DataTypes.IntegerType)
                .add("events", DataTypes.createArrayType(new StructType()
                        .add("at", DataTypes.TimestampType).add("gap", DataTypes.CalendarIntervalType)));
        assertFalse(SparkToArrowSchema.isSupported(schema));
        assertTrue(SparkToArrowSchema.isSupported(AllTypesData.SCHEMA));
        assertEquals("Column 'events.element.gap' has type INTERVAL, which the Arrow writer cannot export; "
                + "supported types: " + SparkToArrowSchema.SUPPORTED,
                assertThrows(IllegalArgumentException.class, () -> SparkToArrowSchema.toArrow(schema)).getMessage());
    }
}
