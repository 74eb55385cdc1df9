package io.tributary.athena;

import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Athena column types to Spark types for the text fetch modes (api, csv). Athena's metadata names array, map and
 * row without their element types, so those arrive as strings in Athena's own notation; json too. {@code timestamp}
 * has no zone in Athena and becomes TIMESTAMP_NTZ; {@code timestamp with time zone} becomes TIMESTAMP.
 */
final class AthenaTypeMapper {
    /** Spark field metadata key holding the Athena type name, so EXPLAIN and users can see where a string came from. */
    static final String ATHENA_TYPE_METADATA = "athena.type";

    private AthenaTypeMapper() {}

    static StructType schema(List<AthenaColumn> columns) {
        StructField[] fields = new StructField[columns.size()];
        for (int i = 0; i < fields.length; i++) {
            AthenaColumn column = columns.get(i);
            Metadata metadata = new MetadataBuilder()
                    .putString(ATHENA_TYPE_METADATA, column.type())
                    .build();
            fields[i] = new StructField(column.name(), sparkType(column), true, metadata);
        }
        return new StructType(fields);
    }

    static DataType sparkType(AthenaColumn column) {
        String type = baseName(column.type());
        switch (type) {
            case "boolean":
                return DataTypes.BooleanType;
            case "tinyint":
                return DataTypes.ByteType;
            case "smallint":
                return DataTypes.ShortType;
            case "integer":
            case "int":
                return DataTypes.IntegerType;
            case "bigint":
                return DataTypes.LongType;
            case "float":
            case "real":
                return DataTypes.FloatType;
            case "double":
                return DataTypes.DoubleType;
            case "decimal":
                int precision = Math.min(Math.max(column.precision(), 1), DecimalType.MAX_PRECISION());
                return DataTypes.createDecimalType(precision, Math.min(column.scale(), precision));
            case "date":
                return DataTypes.DateType;
            case "timestamp":
                return DataTypes.TimestampNTZType;
            case "timestamp with time zone":
                return DataTypes.TimestampType;
            case "varbinary":
            case "binary":
                return DataTypes.BinaryType;
            default:
                return DataTypes.StringType; // char, varchar, string, json, array, map, row, time, interval, ...
        }
    }

    /** "varchar(10)" → "varchar", "timestamp(3) with time zone" → "timestamp with time zone". */
    static String baseName(String athenaType) {
        return athenaType
                .toLowerCase(Locale.ROOT)
                .replaceAll("\\(.*?\\)", "")
                .replaceAll("\\s+", " ")
                .trim();
    }
}
