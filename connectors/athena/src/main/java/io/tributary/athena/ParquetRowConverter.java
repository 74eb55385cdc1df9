package io.tributary.athena;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.unsafe.types.UTF8String;

/** Parquet records (as parquet's example {@link Group}) to Spark's internal rows, nested values included. */
final class ParquetRowConverter {
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final int JULIAN_EPOCH_DAY = 2_440_588;

    private final FieldReader[] fields;

    ParquetRowConverter(GroupType schema) {
        fields = readers(schema);
    }

    InternalRow convert(Group record) {
        return struct(fields, record);
    }

    /** Reads value {@code index} of field {@code field} of a group. */
    private interface FieldReader {
        Object read(Group group, int field, int index);
    }

    private static FieldReader[] readers(GroupType group) {
        FieldReader[] readers = new FieldReader[group.getFieldCount()];
        for (int i = 0; i < readers.length; i++) {
            readers[i] = reader(group.getType(i));
        }
        return readers;
    }

    private static InternalRow struct(FieldReader[] readers, Group group) {
        Object[] values = new Object[readers.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = group.getFieldRepetitionCount(i) == 0 ? null : readers[i].read(group, i, 0);
        }
        return new GenericInternalRow(values);
    }

    private static FieldReader reader(Type type) {
        DataType spark = ParquetSchemaMapper.sparkType(type);
        if (type.isPrimitive()) {
            return primitive(type.asPrimitiveType(), spark);
        }
        GroupType group = type.asGroupType();
        if (spark instanceof org.apache.spark.sql.types.ArrayType) {
            Type element = ParquetSchemaMapper.listElement(group);
            FieldReader elementReader = reader(element);
            if (ParquetSchemaMapper.isTwoLevelList(group)) {
                return (g, f, i) -> {
                    Group list = g.getGroup(f, i);
                    int n = list.getFieldRepetitionCount(0);
                    Object[] values = new Object[n];
                    for (int k = 0; k < n; k++) {
                        values[k] = elementReader.read(list, 0, k);
                    }
                    return new GenericArrayData(values);
                };
            }
            return (g, f, i) -> {
                Group list = g.getGroup(f, i);
                int n = list.getFieldRepetitionCount(0);
                Object[] values = new Object[n];
                for (int k = 0; k < n; k++) {
                    Group wrapper = list.getGroup(0, k);
                    values[k] = wrapper.getFieldRepetitionCount(0) == 0 ? null : elementReader.read(wrapper, 0, 0);
                }
                return new GenericArrayData(values);
            };
        }
        if (spark instanceof org.apache.spark.sql.types.MapType) {
            GroupType keyValue = group.getType(0).asGroupType();
            FieldReader keyReader = reader(keyValue.getType(0));
            FieldReader valueReader = reader(keyValue.getType(1));
            return (g, f, i) -> {
                Group map = g.getGroup(f, i);
                int n = map.getFieldRepetitionCount(0);
                Object[] keys = new Object[n];
                Object[] values = new Object[n];
                for (int k = 0; k < n; k++) {
                    Group entry = map.getGroup(0, k);
                    keys[k] = keyReader.read(entry, 0, 0);
                    values[k] = entry.getFieldRepetitionCount(1) == 0 ? null : valueReader.read(entry, 1, 0);
                }
                return new ArrayBasedMapData(new GenericArrayData(keys), new GenericArrayData(values));
            };
        }
        FieldReader[] children = readers(group);
        return (g, f, i) -> struct(children, g.getGroup(f, i));
    }

    private static FieldReader primitive(PrimitiveType type, DataType spark) {
        if (spark instanceof DecimalType) {
            int precision = ((DecimalType) spark).precision();
            int scale = ((DecimalType) spark).scale();
            switch (type.getPrimitiveTypeName()) {
                case INT32:
                    return (g, f, i) -> Decimal.apply(BigDecimal.valueOf(g.getInteger(f, i), scale), precision, scale);
                case INT64:
                    return (g, f, i) -> Decimal.apply(BigDecimal.valueOf(g.getLong(f, i), scale), precision, scale);
                default:
                    return (g, f, i) -> Decimal.apply(
                            new BigDecimal(new BigInteger(g.getBinary(f, i).getBytes()), scale), precision, scale);
            }
        }
        if (spark == DataTypes.BooleanType) {
            return Group::getBoolean;
        } else if (spark == DataTypes.ByteType) {
            return (g, f, i) -> (byte) g.getInteger(f, i);
        } else if (spark == DataTypes.ShortType) {
            return (g, f, i) -> (short) g.getInteger(f, i);
        } else if (spark == DataTypes.IntegerType || spark == DataTypes.DateType) {
            return Group::getInteger;
        } else if (spark == DataTypes.FloatType) {
            return Group::getFloat;
        } else if (spark == DataTypes.DoubleType) {
            return Group::getDouble;
        } else if (spark == DataTypes.StringType) {
            return (g, f, i) -> UTF8String.fromBytes(g.getBinary(f, i).getBytes());
        } else if (spark == DataTypes.BinaryType) {
            return (g, f, i) -> g.getBinary(f, i).getBytes();
        } else if (type.getPrimitiveTypeName() == PrimitiveType.PrimitiveTypeName.INT96) {
            return (g, f, i) -> int96Micros(g.getInt96(f, i));
        } else if (type.getLogicalTypeAnnotation() instanceof TimestampLogicalTypeAnnotation) {
            LogicalTypeAnnotation.TimeUnit unit =
                    ((TimestampLogicalTypeAnnotation) type.getLogicalTypeAnnotation()).getUnit();
            switch (unit) {
                case MILLIS:
                    return (g, f, i) -> g.getLong(f, i) * 1000;
                case NANOS:
                    return (g, f, i) -> Math.floorDiv(g.getLong(f, i), 1000L);
                default:
                    return Group::getLong;
            }
        }
        return Group::getLong;
    }

    /** INT96: 8 bytes nanos of the day, then 4 bytes Julian day, little-endian. */
    private static long int96Micros(Binary binary) {
        ByteBuffer buffer = binary.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long nanosOfDay = buffer.getLong();
        int julianDay = buffer.getInt();
        return (julianDay - JULIAN_EPOCH_DAY) * MICROS_PER_DAY + nanosOfDay / 1000;
    }
}
