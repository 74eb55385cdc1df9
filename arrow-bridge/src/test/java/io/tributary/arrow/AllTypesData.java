package io.tributary.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Every exportable type, edge values and nulls at every level (maps of strings, of structs, inside arrays, with
 * non-null values; empty strings beside nulls), spread over partitions of which two are empty.
 */
final class AllTypesData {
    static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.IntegerType, false)
            .add("b", DataTypes.BooleanType)
            .add("i8", DataTypes.ByteType)
            .add("i16", DataTypes.ShortType)
            .add("i64", DataTypes.LongType)
            .add("f32", DataTypes.FloatType)
            .add("f64", DataTypes.DoubleType)
            .add("dec", DataTypes.createDecimalType(10, 2))
            .add("bigdec", DataTypes.createDecimalType(38, 10))
            .add("s", DataTypes.StringType)
            .add("bin", DataTypes.BinaryType)
            .add("d", DataTypes.DateType)
            .add("ts", DataTypes.TimestampType)
            .add("ntz", DataTypes.TimestampNTZType)
            .add("arr", DataTypes.createArrayType(DataTypes.IntegerType, true))
            .add("arr_s", DataTypes.createArrayType(DataTypes.StringType, true))
            .add("m", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true))
            .add(
                    "st",
                    new StructType()
                            .add("x", DataTypes.IntegerType)
                            .add("y", DataTypes.StringType)
                            .add("z", DataTypes.createArrayType(DataTypes.DoubleType, true)))
            .add("v", DataTypes.NullType)
            .add("m_s", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true))
            .add(
                    "m_st",
                    DataTypes.createMapType(
                            DataTypes.StringType,
                            new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.StringType),
                            true))
            .add(
                    "a_m",
                    DataTypes.createArrayType(
                            DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType, true), true))
            .add("m_nn", DataTypes.createMapType(DataTypes.IntegerType, DataTypes.DoubleType, false))
            // A nullable struct of non-nullable fields (as Prometheus' histogram column): its null rows must not
            // put nulls into the non-nullable children.
            .add(
                    "st_nn",
                    new StructType()
                            .add("n", DataTypes.IntegerType, false)
                            .add("t", DataTypes.StringType, false)
                            .add("l", DataTypes.createArrayType(DataTypes.IntegerType, true), false)
                            .add("q", DataTypes.createDecimalType(10, 2), false)
                            .add("flag", DataTypes.BooleanType, false));

    /** Arrow types as pyarrow prints them. */
    static final Map<String, String> PYARROW_TYPES = Map.ofEntries(
            Map.entry("id", "int32"),
            Map.entry("b", "bool"),
            Map.entry("i8", "int8"),
            Map.entry("i16", "int16"),
            Map.entry("i64", "int64"),
            Map.entry("f32", "float"),
            Map.entry("f64", "double"),
            Map.entry("dec", "decimal128(10, 2)"),
            Map.entry("bigdec", "decimal128(38, 10)"),
            Map.entry("s", "string"),
            Map.entry("bin", "binary"),
            Map.entry("d", "date32[day]"),
            Map.entry("ts", "timestamp[us, tz=UTC]"),
            Map.entry("ntz", "timestamp[us]"),
            Map.entry("arr", "list<element: int32>"),
            Map.entry("arr_s", "list<element: string>"),
            Map.entry("m", "map<string, int64>"),
            Map.entry("st", "struct<x: int32, y: string, z: list<element: double>>"),
            Map.entry("v", "null"),
            Map.entry("m_s", "map<string, string>"),
            Map.entry("m_st", "map<string, struct<a: int32, b: string>>"),
            Map.entry("a_m", "list<element: map<string, int32>>"),
            Map.entry("m_nn", "map<int32, double not null>"),
            Map.entry(
                    "st_nn",
                    "struct<n: int32 not null, t: string not null, l: list<element: int32> not null,"
                            + " q: decimal128(10, 2) not null, flag: bool not null>"));

    /** As {@link #PYARROW_TYPES}, for the files and streams users load: maps as lists of key/value structs. */
    static final Map<String, String> EXPORTED_PYARROW_TYPES = exportedTypes();

    private AllTypesData() {}

    static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        rows.add(RowFactory.create(
                1,
                true,
                (byte) -128,
                (short) 32767,
                Long.MIN_VALUE,
                1.1f,
                Math.PI,
                new BigDecimal("12345678.91"),
                new BigDecimal("1234567890123456789012345678.0123456789"),
                "héllo ✓",
                new byte[] {0, 1, (byte) 0xff},
                LocalDate.of(2024, 2, 29),
                Instant.parse("2024-02-29T12:34:56.123456Z"),
                LocalDateTime.of(2024, 2, 29, 12, 34, 56, 123_456_000),
                seq(1, null, 3),
                seq("a", null),
                map("k1", 1L, "k2", null),
                RowFactory.create(7, "seven", seq(0.5, null)),
                null,
                map("k", "v", "empty", "", "null", null),
                map("x", RowFactory.create(1, "one"), "nulls", RowFactory.create(null, null), "null", null),
                seq(map("a", 1, "b", null), null, map()),
                map(1, 0.5, -2, Double.NaN),
                RowFactory.create(1, "one", seq(1, null), new BigDecimal("1.50"), true)));
        rows.add(RowFactory.create(
                2,
                false,
                (byte) 127,
                (short) -32768,
                Long.MAX_VALUE,
                Float.NaN,
                Double.NEGATIVE_INFINITY,
                new BigDecimal("-0.01"),
                new BigDecimal("-0.0000000001"),
                "",
                new byte[0],
                LocalDate.of(1969, 12, 31),
                Instant.parse("1969-12-31T23:59:59.999999Z"),
                LocalDateTime.of(1900, 1, 1, 0, 0),
                seq(),
                seq(),
                map(),
                RowFactory.create(null, null, null),
                null,
                map(),
                map(),
                seq(),
                map(),
                RowFactory.create(0, "", seq(), new BigDecimal("0.00"), false)));
        rows.add(RowFactory.create(
                3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null));
        rows.add(RowFactory.create(
                4,
                true,
                (byte) 0,
                (short) 0,
                0L,
                -0.0f,
                Double.MIN_VALUE,
                new BigDecimal("0.00"),
                new BigDecimal("0E-10"),
                "line\nbreak \"quoted\"",
                "bin".getBytes(StandardCharsets.UTF_8),
                LocalDate.of(1, 1, 1),
                Instant.parse("0001-01-01T00:00:00Z"),
                LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
                seq((Object) null),
                seq("z"),
                map("only", -5L),
                null,
                null,
                map("", ""),
                map("only", RowFactory.create(null, "")),
                seq((Object) null),
                map(0, -0.0),
                null));
        rows.add(RowFactory.create(
                5,
                false,
                (byte) 5,
                (short) 5,
                5L,
                Float.MAX_VALUE,
                -1.5e300,
                new BigDecimal("99999999.99"),
                new BigDecimal("-9999999999999999999999999999.9999999999"),
                "五",
                new byte[] {42},
                LocalDate.of(2000, 1, 1),
                Instant.parse("2000-01-01T00:00:00Z"),
                LocalDateTime.of(2000, 1, 1, 0, 0),
                seq(Integer.MIN_VALUE, Integer.MAX_VALUE),
                seq("", "x"),
                map("a", 1L, "b", 2L, "c", 3L),
                RowFactory.create(-1, "", seq()),
                null,
                map("ü✓", "五"),
                null,
                seq(map(), map("z", 26)),
                map(Integer.MAX_VALUE, 1e300),
                RowFactory.create(-5, "五", seq(5), new BigDecimal("-5.25"), true)));
        rows.add(RowFactory.create(
                6,
                true,
                (byte) 6,
                (short) 6,
                6L,
                Float.MIN_VALUE,
                Double.NaN,
                null,
                null,
                "six",
                null,
                null,
                null,
                null,
                null,
                seq((String) null),
                null,
                RowFactory.create(6, null, null),
                null,
                null,
                map("k", null),
                null,
                null,
                null));
        return rows;
    }

    /**
     * Partitions: 0 empty, 1 holds rows 1-5, 2 empty, 3 holds row 6. Spark writes an (empty) file only for
     * partition 0 of the empty ones, so three files.
     */
    static Dataset<Row> dataFrame(SparkSession spark) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Row> rows = rows();
        JavaRDD<Row> rdd = jsc.parallelize(Collections.<Row>emptyList(), 1)
                .union(jsc.parallelize(rows.subList(0, 5), 1))
                .union(jsc.parallelize(Collections.<Row>emptyList(), 1))
                .union(jsc.parallelize(rows.subList(5, 6), 1));
        return spark.createDataFrame(rdd, SCHEMA);
    }

    /** The rows of {@link #dataFrame} as the writers get them from Spark (UnsafeRows), in id order. */
    static List<InternalRow> internalRows(SparkSession spark) {
        return new ArrayList<>(dataFrame(spark)
                .orderBy("id")
                .queryExecution()
                .toRdd()
                .toJavaRDD()
                .map(InternalRow::copy)
                .collect());
    }

    /** What Spark itself holds for {@link #dataFrame}, in arrow_check.py's canonical form. */
    static JsonNode expected(SparkSession spark) throws IOException {
        return CanonicalRows.JSON.readTree(CanonicalRows.of(dataFrame(spark).collectAsList()));
    }

    @SafeVarargs
    private static <T> scala.collection.immutable.Seq<T> seq(T... values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(values))
                .toList();
    }

    private static scala.collection.immutable.Map<Object, Object> map(Object... kv) {
        java.util.Map<Object, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return scala.collection.immutable.Map.from(scala.jdk.javaapi.CollectionConverters.asScala(m));
    }

    private static Map<String, String> exportedTypes() {
        Map<String, String> types = new java.util.HashMap<>(PYARROW_TYPES);
        String entries = "list<entries: struct<key: %s not null, value: %s> not null>";
        types.put("m", String.format(entries, "string", "int64"));
        types.put("m_s", String.format(entries, "string", "string"));
        types.put("m_st", String.format(entries, "string", "struct<a: int32, b: string>"));
        types.put("a_m", "list<element: " + String.format(entries, "string", "int32") + ">");
        types.put("m_nn", String.format(entries, "int32", "double not null"));
        return Map.copyOf(types);
    }
}
