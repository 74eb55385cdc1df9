package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.Test;

class AthenaTextValueTest {
    private static Object decode(String athenaType, int precision, int scale, String text) {
        AthenaColumn column = new AthenaColumn("c", athenaType, precision, scale);
        DataType type = AthenaTypeMapper.sparkType(column);
        return AthenaTextValue.forType(type, athenaType).decode(text);
    }

    @Test
    void mapsAthenaTypesToSparkTypes() {
        StructType schema = AthenaTypeMapper.schema(List.of(
                new AthenaColumn("b", "boolean", 0, 0),
                new AthenaColumn("t", "tinyint", 0, 0),
                new AthenaColumn("s", "smallint", 0, 0),
                new AthenaColumn("i", "integer", 0, 0),
                new AthenaColumn("l", "bigint", 0, 0),
                new AthenaColumn("f", "float", 0, 0),
                new AthenaColumn("r", "real", 0, 0),
                new AthenaColumn("d", "double", 0, 0),
                new AthenaColumn("m", "decimal", 38, 10),
                new AthenaColumn("c", "char", 0, 0),
                new AthenaColumn("v", "varchar", 0, 0),
                new AthenaColumn("dt", "date", 0, 0),
                new AthenaColumn("ts", "timestamp", 0, 0),
                new AthenaColumn("tz", "timestamp with time zone", 0, 0),
                new AthenaColumn("bin", "varbinary", 0, 0),
                new AthenaColumn("j", "json", 0, 0),
                new AthenaColumn("a", "array", 0, 0),
                new AthenaColumn("mp", "map", 0, 0),
                new AthenaColumn("row", "row", 0, 0)));
        assertEquals(
                "struct<b:boolean,t:tinyint,s:smallint,i:int,l:bigint,f:float,r:float,d:double,m:decimal(38,10),"
                        + "c:string,v:string,dt:date,ts:timestamp_ntz,tz:timestamp,bin:binary,j:string,a:string,mp:string,row:string>",
                schema.simpleString());
        assertEquals("timestamp with time zone", schema.apply("tz").metadata().getString("athena.type"));
    }

    @Test
    void decodesAthenaText() {
        assertEquals(true, decode("boolean", 0, 0, "true"));
        assertEquals((byte) -128, decode("tinyint", 0, 0, "-128"));
        assertEquals(Long.MAX_VALUE, decode("bigint", 0, 0, "9223372036854775807"));
        assertEquals(Float.NaN, decode("real", 0, 0, "NaN"));
        assertEquals(Double.NEGATIVE_INFINITY, decode("double", 0, 0, "-Infinity"));
        assertEquals(Decimal.apply(new java.math.BigDecimal("-1.50"), 5, 2), decode("decimal", 5, 2, "-1.50"));
        assertEquals(19358, decode("date", 0, 0, "2023-01-01"));
        assertEquals(1672576496789000L, decode("timestamp", 0, 0, "2023-01-01 12:34:56.789"));
        assertEquals(1672531200000000L, decode("timestamp", 0, 0, "2023-01-01 00:00:00"));
        assertEquals(1672531200123456L, decode("timestamp", 0, 0, "2023-01-01 00:00:00.123456789"));
        assertEquals(-500000L, decode("timestamp", 0, 0, "1969-12-31 23:59:59.5"));
        assertEquals(-719162, decode("date", 0, 0, "0001-01-01"));
        assertEquals(2932896, decode("date", 0, 0, "9999-12-31"));
        assertEquals(1672576496789000L, decode("timestamp with time zone", 0, 0, "2023-01-01 12:34:56.789 UTC"));
        assertEquals(
                1672572896789000L, decode("timestamp with time zone", 0, 0, "2023-01-01 12:34:56.789 Europe/Berlin"));
        assertArrayEquals(new byte[] {0x61, (byte) 0xff, 0x00}, (byte[]) decode("varbinary", 0, 0, "61 ff 00"));
        assertArrayEquals(new byte[0], (byte[]) decode("varbinary", 0, 0, ""));
        assertEquals(UTF8String.fromString("{a=1, b=[x, y]}"), decode("map", 0, 0, "{a=1, b=[x, y]}"));
        assertThrows(IllegalArgumentException.class, () -> decode("varbinary", 0, 0, "6"));
        assertThrows(IllegalArgumentException.class, () -> decode("varbinary", 0, 0, "zz"));
    }

    @Test
    void nullAndEmptyStayApartAndBadValuesNameTheColumn() {
        StructType schema = new StructType().add("s", DataTypes.StringType).add("n", DataTypes.IntegerType);
        TextRowDecoder decoder = new TextRowDecoder(
                "q-1", schema, List.of(new AthenaColumn("s", "varchar", 0, 0), new AthenaColumn("n", "integer", 0, 0)));
        String[] values = {"", null};
        InternalRow row = decoder.decode(i -> values[i]);
        assertEquals(UTF8String.fromString(""), row.getUTF8String(0));
        assertNull(row.get(1, DataTypes.IntegerType));
        String[] bad = {"x", "seven"};
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> decoder.decode(i -> bad[i]));
        assertEquals("Athena query q-1: column 'n' value 'seven' is not a int", e.getMessage());
    }
}
