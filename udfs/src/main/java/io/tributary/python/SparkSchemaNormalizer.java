package io.tributary.python;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VarcharType;

/**
 * Brings a schema that Spark's own parsers produced (DDL, JSON) to what a transform can return: {@code CHAR(n)} and
 * {@code VARCHAR(n)} become {@code STRING} at any depth (Python returns plain {@code str}, and Spark itself stores such
 * columns as strings), and field names must be distinct within each struct, ignoring case, as Spark resolves them.
 */
final class SparkSchemaNormalizer {

    private SparkSchemaNormalizer() {}

    static StructType normalize(StructType schema, String notation) {
        return struct(schema, notation, "the top-level struct");
    }

    private static StructType struct(StructType struct, String notation, String where) {
        StructField[] fields = struct.fields();
        StructField[] normalized = new StructField[fields.length];
        Map<String, Integer> firstIndexByName = new HashMap<>();
        for (int i = 0; i < fields.length; i++) {
            StructField field = fields[i];
            Integer earlier = firstIndexByName.putIfAbsent(field.name().toLowerCase(Locale.ROOT), i);
            if (earlier != null) {
                throw new IllegalArgumentException("Invalid declared schema (" + notation + "): field name '"
                        + field.name() + "' is used twice in " + where + ", by fields " + (earlier + 1) + " and "
                        + (i + 1) + "; names must be distinct ignoring case, as Spark resolves columns");
            }
            normalized[i] = new StructField(
                    field.name(),
                    type(field.dataType(), notation, "field '" + field.name() + "'"),
                    field.nullable(),
                    field.metadata());
        }
        return new StructType(normalized);
    }

    private static DataType type(DataType type, String notation, String where) {
        if (type instanceof CharType || type instanceof VarcharType) {
            return DataTypes.StringType;
        } else if (type instanceof StructType struct) {
            return struct(struct, notation, "the struct of " + where);
        } else if (type instanceof ArrayType array) {
            return DataTypes.createArrayType(type(array.elementType(), notation, where), array.containsNull());
        } else if (type instanceof MapType map) {
            return DataTypes.createMapType(
                    type(map.keyType(), notation, where),
                    type(map.valueType(), notation, where),
                    map.valueContainsNull());
        }
        return type;
    }
}
