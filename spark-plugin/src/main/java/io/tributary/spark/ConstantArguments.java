package io.tributary.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;

/**
 * Reads the arguments of a table function, which must be constants because they configure a read that is planned
 * before any row exists. Errors name the function and the parameter.
 */
final class ConstantArguments {
    private final String function;

    ConstantArguments(String function) {
        this.function = function;
    }

    /** The evaluated, non-null value of a constant argument, in Catalyst's internal representation. */
    Object value(String parameter, Expression argument) {
        if (!argument.foldable()) {
            throw new IllegalArgumentException(
                    function + " argument '" + parameter + "' must be a constant, got " + argument.sql());
        }
        Object value = argument.eval(null);
        if (value == null) {
            throw new IllegalArgumentException(function + " argument '" + parameter + "' must not be NULL");
        }
        return value;
    }

    String string(String parameter, Expression argument) {
        Object value = value(parameter, argument);
        requireType(parameter, argument.dataType(), DataTypes.StringType, "a string");
        return value.toString();
    }

    /** A {@code map('key', 'value', ...)} argument, in the order written. */
    Map<String, String> stringMap(String parameter, Expression argument) {
        Object value = value(parameter, argument);
        requireType(
                parameter,
                argument.dataType(),
                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
                "a map of strings to strings, e.g. map('database', 'logs')");
        MapData map = (MapData) value;
        ArrayData keys = map.keyArray();
        ArrayData values = map.valueArray();
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < map.numElements(); i++) {
            if (values.isNullAt(i)) {
                throw new IllegalArgumentException(function + " argument '" + parameter + "': the value of '"
                        + keys.getUTF8String(i) + "' must not be NULL");
            }
            entries.put(
                    keys.getUTF8String(i).toString(), values.getUTF8String(i).toString());
        }
        return entries;
    }

    void requireType(String parameter, DataType actual, DataType expected, String description) {
        boolean matches = expected instanceof MapType m && actual instanceof MapType a
                ? m.keyType().equals(a.keyType()) && m.valueType().equals(a.valueType())
                : expected.equals(actual);
        if (!matches) {
            throw new IllegalArgumentException(function + " argument '" + parameter + "' must be " + description
                    + ", got " + actual.simpleString());
        }
    }
}
