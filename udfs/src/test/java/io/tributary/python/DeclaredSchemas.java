package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Short ways to write expected schemas and to get a schema's parse error, for the schema parser tests. */
final class DeclaredSchemas {

    private DeclaredSchemas() {}

    static StructField field(String name, DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    static StructField nullable(String name, DataType type) {
        return field(name, type, true);
    }

    static StructType struct(StructField... fields) {
        return DataTypes.createStructType(fields);
    }

    /** The message of the IllegalArgumentException {@link DeclaredSchemaParser#parse} must throw for {@code text}. */
    static String parseError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> DeclaredSchemaParser.parse(text))
                .getMessage();
    }
}
