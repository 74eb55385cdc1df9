package io.tributary.arrow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Maps a Spark schema to the Arrow schema Tributary writes. Own mapping rather than Spark's internal ArrowUtils,
 * which is not a stable API. Timestamps are microseconds, as Spark stores them: TimestampType as
 * Timestamp(MICROSECOND, "UTC"), TimestampNTZType as Timestamp(MICROSECOND, no zone).
 *
 * <p>Maps have two layouts. {@link #toExportedArrow} (files of {@code format("arrow")}, {@link ArrowExport}) writes
 * a map as {@code List<entries: Struct<key (non-null), value>>} whose field carries the metadata
 * {@value #SPARK_TYPE_METADATA}{@code =map}: Polars 1.44 panics ("not yet implemented") when it memory-maps an
 * Arrow {@code Map} column but memory-maps this list, and reads both as the same {@code List(Struct)} anyway; the
 * metadata lets {@link ArrowToSparkSchema} give Spark its map back. {@link #toArrow} writes Arrow's own {@code Map},
 * for the Python transforms' worker stream, whose scripts get maps as pyarrow maps (lists of key/value tuples).
 */
public final class SparkToArrowSchema {
    static final String UTC = "UTC";
    static final String LIST_ELEMENT = "element";
    static final String MAP_ENTRIES = "entries";
    static final String MAP_KEY = "key";
    static final String MAP_VALUE = "value";
    /** Field metadata key naming the Spark type of a field whose Arrow type alone does not say it. */
    public static final String SPARK_TYPE_METADATA = "tributary.spark.type";
    /** {@link #SPARK_TYPE_METADATA}'s value on a list of key/value structs that holds a Spark map. */
    static final String SPARK_MAP = "map";
    /** The Spark types this mapping takes, for messages. */
    public static final String SUPPORTED =
            "boolean, tinyint, smallint, int, bigint, float, double, decimal, string, binary,"
                    + " date, timestamp, timestamp_ntz, void, array, map, struct";

    private SparkToArrowSchema() {}

    /**
     * The schema with maps as Arrow {@code Map}s: the Python transforms' worker stream.
     *
     * @throws IllegalArgumentException naming the first column whose type cannot be exported
     */
    public static Schema toArrow(StructType schema) {
        return toArrow(schema, false);
    }

    /**
     * The schema of what users load (files of {@code format("arrow")}, {@link ArrowExport}'s stream): maps as lists
     * of key/value structs marked as maps, which Polars can memory-map.
     *
     * @throws IllegalArgumentException naming the first column whose type cannot be exported
     */
    public static Schema toExportedArrow(StructType schema) {
        return toArrow(schema, true);
    }

    private static Schema toArrow(StructType schema, boolean mapsAsLists) {
        List<Field> fields = new ArrayList<>();
        for (StructField f : schema.fields()) {
            fields.add(toField(f.name(), f.name(), f.dataType(), f.nullable(), mapsAsLists));
        }
        return new Schema(fields);
    }

    /** Whether {@code field} is a list of key/value structs that holds a Spark map (see the class comment). */
    static boolean isMapList(Field field) {
        Map<String, String> metadata = field.getMetadata();
        return field.getType().getTypeID() == ArrowType.ArrowTypeID.List
                && metadata != null
                && SPARK_MAP.equals(metadata.get(SPARK_TYPE_METADATA));
    }

    /** Checks every column, so a write fails before any file exists. */
    static void requireSupported(StructType schema) {
        toExportedArrow(schema);
    }

    /** Whether {@link #toArrow} accepts this type, nested types included. */
    static boolean isSupported(DataType type) {
        if (type instanceof ArrayType a) {
            return isSupported(a.elementType());
        } else if (type instanceof MapType m) {
            return isSupported(m.keyType()) && isSupported(m.valueType());
        } else if (type instanceof StructType s) {
            for (StructField f : s.fields()) {
                if (!isSupported(f.dataType())) {
                    return false;
                }
            }
            return true;
        }
        return primitive(type) != null;
    }

    private static Field toField(String path, String name, DataType type, boolean nullable, boolean mapsAsLists) {
        if (type instanceof ArrayType a) {
            Field element =
                    toField(path + "." + LIST_ELEMENT, LIST_ELEMENT, a.elementType(), a.containsNull(), mapsAsLists);
            return new Field(name, new FieldType(nullable, ArrowType.List.INSTANCE, null), List.of(element));
        }
        if (type instanceof MapType m) {
            Field key = toField(path + "." + MAP_KEY, MAP_KEY, m.keyType(), false, mapsAsLists);
            Field value = toField(path + "." + MAP_VALUE, MAP_VALUE, m.valueType(), m.valueContainsNull(), mapsAsLists);
            Field entries =
                    new Field(MAP_ENTRIES, new FieldType(false, ArrowType.Struct.INSTANCE, null), List.of(key, value));
            FieldType map = mapsAsLists
                    ? new FieldType(nullable, ArrowType.List.INSTANCE, null, Map.of(SPARK_TYPE_METADATA, SPARK_MAP))
                    : new FieldType(nullable, new ArrowType.Map(false), null);
            return new Field(name, map, List.of(entries));
        }
        if (type instanceof StructType s) {
            List<Field> children = new ArrayList<>();
            for (StructField f : s.fields()) {
                children.add(toField(path + "." + f.name(), f.name(), f.dataType(), f.nullable(), mapsAsLists));
            }
            return new Field(name, new FieldType(nullable, ArrowType.Struct.INSTANCE, null), children);
        }
        return new Field(name, new FieldType(nullable, toPrimitive(path, type), null), List.of());
    }

    private static ArrowType toPrimitive(String path, DataType type) {
        ArrowType arrow = primitive(type);
        if (arrow == null) {
            throw new IllegalArgumentException("Column '" + path + "' has type " + type.sql()
                    + ", which the Arrow writer cannot export; supported types: " + SUPPORTED);
        }
        return arrow;
    }

    /** The Arrow type of a non-nested Spark type, or null if it has none. */
    private static ArrowType primitive(DataType type) {
        if (type instanceof BooleanType) {
            return ArrowType.Bool.INSTANCE;
        } else if (type instanceof ByteType) {
            return new ArrowType.Int(8, true);
        } else if (type instanceof ShortType) {
            return new ArrowType.Int(16, true);
        } else if (type instanceof IntegerType) {
            return new ArrowType.Int(32, true);
        } else if (type instanceof LongType) {
            return new ArrowType.Int(64, true);
        } else if (type instanceof FloatType) {
            return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        } else if (type instanceof DoubleType) {
            return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        } else if (type instanceof DecimalType d) {
            return new ArrowType.Decimal(d.precision(), d.scale(), 128);
        } else if (type instanceof StringType) {
            return ArrowType.Utf8.INSTANCE;
        } else if (type instanceof BinaryType) {
            return ArrowType.Binary.INSTANCE;
        } else if (type instanceof DateType) {
            return new ArrowType.Date(DateUnit.DAY);
        } else if (type instanceof TimestampType) {
            return new ArrowType.Timestamp(TimeUnit.MICROSECOND, UTC);
        } else if (type instanceof TimestampNTZType) {
            return new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
        } else if (type instanceof NullType) {
            return ArrowType.Null.INSTANCE;
        }
        return null;
    }
}
