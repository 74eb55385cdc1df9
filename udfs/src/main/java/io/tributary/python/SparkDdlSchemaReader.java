package io.tributary.python;

import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.trees.Origin;
import org.apache.spark.sql.types.StructType;

/** Spark's DDL column list ({@code a BIGINT, b ARRAY<DOUBLE>}) through Spark's own parser, errors made positional. */
final class SparkDdlSchemaReader {

    static final String NOTATION = "Spark DDL";

    private static final String EXPECTED = "expected Spark DDL column definitions \"name TYPE [NOT NULL]"
            + " [COMMENT '...'], ...\" such as \"a BIGINT, b ARRAY<DOUBLE>\"";

    private SparkDdlSchemaReader() {}

    static StructType read(String text) {
        StructType schema;
        try {
            schema = StructType.fromDDL(text);
        } catch (Exception e) { // Scala declares no checked exceptions; ParseException is one to Java
            if (e instanceof ParseException parse) {
                throw SchemaSyntaxError.at(
                        NOTATION,
                        text,
                        offset(text, parse.start()),
                        SchemaSyntaxError.sparkMessage(parse) + "; " + EXPECTED,
                        e);
            }
            if (e instanceof SparkThrowable || e instanceof IllegalArgumentException) {
                throw SchemaSyntaxError.at(NOTATION, text, 0, SchemaSyntaxError.sparkMessage(e) + "; " + EXPECTED, e);
            }
            throw e;
        }
        return SparkSchemaNormalizer.normalize(schema, NOTATION);
    }

    /** The character offset of a 1-based line and 0-based column from Spark's parser. */
    private static int offset(String text, Origin origin) {
        int line = origin.line().isDefined() ? (Integer) origin.line().get() : 1;
        int column = origin.startPosition().isDefined()
                ? (Integer) origin.startPosition().get()
                : 0;
        int offset = 0;
        for (int l = 1; l < line; l++) {
            int newline = text.indexOf('\n', offset);
            if (newline < 0) {
                break;
            }
            offset = newline + 1;
        }
        return offset + column;
    }
}
