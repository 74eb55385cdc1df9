package io.tributary.athena;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;

/** Athena's text values of one row (api and csv modes) to a Spark row of the read schema. */
final class TextRowDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String queryExecutionId;
    private final StructType schema;
    private final AthenaTextValue[] decoders;

    TextRowDecoder(String queryExecutionId, StructType schema, List<AthenaColumn> columns) {
        if (schema.size() != columns.size()) {
            throw new IllegalArgumentException("The given schema has " + schema.size() + " columns but Athena query "
                    + queryExecutionId + " returns " + columns.size() + ": " + columns);
        }
        this.queryExecutionId = queryExecutionId;
        this.schema = schema;
        this.decoders = new AthenaTextValue[columns.size()];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = AthenaTextValue.forType(
                    schema.fields()[i].dataType(), columns.get(i).type());
        }
    }

    int columns() {
        return decoders.length;
    }

    /** A row from the values in Athena's text form; a null value is SQL NULL, "" the empty string. */
    InternalRow decode(Values values) {
        Object[] row = new Object[decoders.length];
        for (int i = 0; i < row.length; i++) {
            String text = values.get(i);
            if (text != null) {
                try {
                    row[i] = decoders[i].decode(text);
                } catch (RuntimeException e) {
                    throw new IllegalStateException(
                            "Athena query " + queryExecutionId + ": column '" + schema.fields()[i].name() + "' value '"
                                    + text + "' is not a "
                                    + schema.fields()[i].dataType().simpleString(),
                            e);
                }
            }
        }
        return new GenericInternalRow(row);
    }

    /** One row's values by column position, without copying them into an array first. */
    interface Values {
        String get(int column);
    }
}
