package io.tributary.arrow;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Maps the schema of an Arrow file (ours, or written by pyarrow or Polars) to Spark, and says which Arrow field each
 * column is read as: {@link #readableField} turns the types Spark's ArrowColumnVector cannot read (string/binary
 * views, large lists, non-microsecond timestamps, dictionaries) into ones it can, and our lists of key/value structs
 * marked as maps ({@link SparkToArrowSchema#isMapList}) into Arrow Maps; {@link ReadableVectors} converts the data to
 * match.
 */
public final class ArrowToSparkSchema {
    static final String SUPPORTED = "bool, int8/16/32/64, float32/64, decimal128, utf8, large_utf8, utf8_view, binary,"
            + " large_binary, binary_view, date32, timestamp (any unit), null, list, large_list, map, struct,"
            + " dictionary of these";

    private ArrowToSparkSchema() {}

    /** @throws IllegalArgumentException naming the first column Spark cannot read */
    public static StructType toSpark(Schema schema) {
        List<StructField> fields = new ArrayList<>();
        for (Field f : schema.getFields()) {
            fields.add(new StructField(
                    f.getName(), toSpark(f.getName(), f), f.isNullable(), org.apache.spark.sql.types.Metadata.empty()));
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static DataType toSpark(String path, Field field) {
        // A dictionary-encoded field carries its value type; the reader decodes the indices.
        ArrowType type = field.getType();
        List<Field> children = field.getChildren();
        switch (type.getTypeID()) {
            case Bool:
                return DataTypes.BooleanType;
            case Int: {
                ArrowType.Int t = (ArrowType.Int) type;
                if (t.getIsSigned()) {
                    switch (t.getBitWidth()) {
                        case 8:
                            return DataTypes.ByteType;
                        case 16:
                            return DataTypes.ShortType;
                        case 32:
                            return DataTypes.IntegerType;
                        case 64:
                            return DataTypes.LongType;
                        default:
                            break;
                    }
                }
                throw unsupported(path, type.toString());
            }
            case FloatingPoint:
                switch (((ArrowType.FloatingPoint) type).getPrecision()) {
                    case SINGLE:
                        return DataTypes.FloatType;
                    case DOUBLE:
                        return DataTypes.DoubleType;
                    default:
                        throw unsupported(path, type.toString());
                }
            case Decimal: {
                ArrowType.Decimal d = (ArrowType.Decimal) type;
                if (d.getBitWidth() != 128 || d.getPrecision() > 38) {
                    throw unsupported(path, type.toString());
                }
                return DataTypes.createDecimalType(d.getPrecision(), d.getScale());
            }
            case Utf8:
            case LargeUtf8:
            case Utf8View:
                return DataTypes.StringType;
            case Binary:
            case LargeBinary:
            case BinaryView:
                return DataTypes.BinaryType;
            case Date:
                if (((ArrowType.Date) type).getUnit() == DateUnit.DAY) {
                    return DataTypes.DateType;
                }
                throw unsupported(path, type.toString());
            case Timestamp:
                return ((ArrowType.Timestamp) type).getTimezone() == null
                        ? DataTypes.TimestampNTZType
                        : DataTypes.TimestampType;
            case Null:
                return DataTypes.NullType;
            case List:
            case LargeList: {
                if (SparkToArrowSchema.isMapList(field)) {
                    return toSparkMap(path, mapEntries(path, field));
                }
                Field element = children.get(0);
                return DataTypes.createArrayType(
                        toSpark(path + "." + element.getName(), element), element.isNullable());
            }
            case Map:
                return toSparkMap(path, children.get(0));
            case Struct: {
                List<StructField> fields = new ArrayList<>();
                for (Field c : children) {
                    fields.add(new StructField(
                            c.getName(),
                            toSpark(path + "." + c.getName(), c),
                            c.isNullable(),
                            org.apache.spark.sql.types.Metadata.empty()));
                }
                return new StructType(fields.toArray(new StructField[0]));
            }
            default:
                throw unsupported(path, type.toString());
        }
    }

    private static DataType toSparkMap(String path, Field entries) {
        List<Field> kv = entries.getChildren();
        return DataTypes.createMapType(
                toSpark(path + ".key", kv.get(0)),
                toSpark(path + ".value", kv.get(1)),
                kv.get(1).isNullable());
    }

    /** The key/value struct of a list marked as a map, checked to be one. */
    private static Field mapEntries(String path, Field list) {
        Field entries = list.getChildren().get(0);
        List<Field> kv = entries.getChildren();
        if (entries.getType().getTypeID() != ArrowType.ArrowTypeID.Struct
                || kv.size() != 2
                || !SparkToArrowSchema.MAP_KEY.equals(kv.get(0).getName())
                || !SparkToArrowSchema.MAP_VALUE.equals(kv.get(1).getName())) {
            throw new IllegalArgumentException("Column '" + path + "' is marked as a Spark map (field metadata "
                    + SparkToArrowSchema.SPARK_TYPE_METADATA + "=" + SparkToArrowSchema.SPARK_MAP + ") but is "
                    + list.getType() + " of " + entries.getType() + " "
                    + kv.stream().map(Field::getName).toList()
                    + "; a map must be a list of structs with the fields key and value");
        }
        return entries;
    }

    /**
     * The field as ArrowColumnVector reads it; equal to {@code field} (same instance) when no conversion is needed.
     * Dictionary fields must be decoded first: pass the dictionary's value field.
     */
    static Field readableField(Field field) {
        ArrowType type = field.getType();
        ArrowType target = type;
        switch (type.getTypeID()) {
            case Utf8View:
                target = ArrowType.Utf8.INSTANCE;
                break;
            case BinaryView:
                target = ArrowType.Binary.INSTANCE;
                break;
            case Timestamp: {
                ArrowType.Timestamp t = (ArrowType.Timestamp) type;
                if (t.getUnit() != TimeUnit.MICROSECOND) {
                    target = new ArrowType.Timestamp(TimeUnit.MICROSECOND, t.getTimezone());
                }
                break;
            }
            case LargeList:
                target = ArrowType.List.INSTANCE;
                break;
            case List:
                if (SparkToArrowSchema.isMapList(field)) {
                    // Same buffers as a list; ArrowColumnVector reads a Spark map only from a MapVector.
                    target = new ArrowType.Map(false);
                }
                break;
            default:
                break;
        }
        List<Field> children = new ArrayList<>();
        boolean changed = target != type;
        for (Field c : field.getChildren()) {
            Field rc = readableField(c);
            changed |= rc != c;
            children.add(rc);
        }
        if (!changed) {
            return field;
        }
        if (target instanceof ArrowType.Map) {
            // Arrow Java's MapVector wants non-null entries; Tributary writes them so, other writers may not.
            Field entries = children.get(0);
            children = List.of(new Field(
                    entries.getName(),
                    new FieldType(false, entries.getType(), null, entries.getMetadata()),
                    entries.getChildren()));
        }
        return new Field(
                field.getName(), new FieldType(field.isNullable(), target, null, field.getMetadata()), children);
    }

    private static IllegalArgumentException unsupported(String path, String what) {
        return new IllegalArgumentException("Column '" + path + "' has Arrow type " + what
                + ", which Tributary's Arrow reader cannot read; supported: " + SUPPORTED);
    }
}
