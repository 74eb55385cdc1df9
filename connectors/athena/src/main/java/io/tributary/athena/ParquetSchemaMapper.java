package io.tributary.athena;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark types for the Parquet files UNLOAD writes, nested types included: LIST → array, MAP → map, other groups →
 * struct. Timestamps not adjusted to UTC (Athena's {@code timestamp}) become TIMESTAMP_NTZ, like the text modes.
 */
final class ParquetSchemaMapper {
    private ParquetSchemaMapper() {}

    static StructType sparkSchema(MessageType message) {
        return struct(message);
    }

    static StructType struct(GroupType group) {
        List<StructField> fields = new ArrayList<>();
        for (Type field : group.getFields()) {
            fields.add(DataTypes.createStructField(field.getName(), sparkType(field), true));
        }
        return DataTypes.createStructType(fields);
    }

    static DataType sparkType(Type type) {
        if (type.isPrimitive()) {
            return primitive(type.asPrimitiveType());
        }
        GroupType group = type.asGroupType();
        LogicalTypeAnnotation logical = group.getLogicalTypeAnnotation();
        if (logical instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            return DataTypes.createArrayType(sparkType(listElement(group)), true);
        }
        if (logical instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) {
            GroupType keyValue = group.getType(0).asGroupType();
            return DataTypes.createMapType(sparkType(keyValue.getType(0)), sparkType(keyValue.getType(1)), true);
        }
        return struct(group);
    }

    /**
     * The element of a LIST: the standard three levels ({@code repeated group list { element }}) or the legacy two,
     * where the repeated field is itself the element.
     */
    static Type listElement(GroupType list) {
        Type repeated = list.getType(0);
        if (repeated.isPrimitive()
                || repeated.asGroupType().getFieldCount() > 1
                || repeated.getName().equals("array")
                || repeated.getName().equals(list.getName() + "_tuple")) {
            return repeated;
        }
        return repeated.asGroupType().getType(0);
    }

    /** True when {@link #listElement} is the repeated field itself (legacy two-level list). */
    static boolean isTwoLevelList(GroupType list) {
        return listElement(list) == list.getType(0);
    }

    private static DataType primitive(PrimitiveType type) {
        LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
        if (logical instanceof DecimalLogicalTypeAnnotation) {
            DecimalLogicalTypeAnnotation decimal = (DecimalLogicalTypeAnnotation) logical;
            return DataTypes.createDecimalType(decimal.getPrecision(), decimal.getScale());
        }
        switch (type.getPrimitiveTypeName()) {
            case BOOLEAN:
                return DataTypes.BooleanType;
            case INT32:
                if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
                    return DataTypes.DateType;
                }
                if (logical instanceof IntLogicalTypeAnnotation) {
                    int bits = ((IntLogicalTypeAnnotation) logical).getBitWidth();
                    return bits == 8 ? DataTypes.ByteType : bits == 16 ? DataTypes.ShortType : DataTypes.IntegerType;
                }
                return DataTypes.IntegerType;
            case INT64:
                if (logical instanceof TimestampLogicalTypeAnnotation) {
                    return ((TimestampLogicalTypeAnnotation) logical).isAdjustedToUTC()
                            ? DataTypes.TimestampType
                            : DataTypes.TimestampNTZType;
                }
                return DataTypes.LongType;
            case INT96:
                return DataTypes.TimestampNTZType;
            case FLOAT:
                return DataTypes.FloatType;
            case DOUBLE:
                return DataTypes.DoubleType;
            default: // BINARY, FIXED_LEN_BYTE_ARRAY
                if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                        || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
                    return DataTypes.StringType;
                }
                return DataTypes.BinaryType;
        }
    }
}
