package io.tributary.python;

import java.util.Locale;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the output schema a Python transform declares (Byzer's {@code #%schema=...}) in any of the notations Byzer
 * accepts. The notation is chosen from the start of the text:
 * <ul>
 *   <li>{@code file}: {@link #FILE_SCHEMA}, the rows of a directory packed by pyjava's
 *       {@code streaming_tar.build_rows_from_file};</li>
 *   <li>{@code st(}: Byzer's simple form, {@code st(field(a,long),field(b,array(double)))}; every field, array
 *       element and map value is nullable, as in Byzer;</li>
 *   <li>{@code {}: Spark's JSON schema, {@code {"type":"struct","fields":[...]}}, nullability as written;</li>
 *   <li>{@code CREATE TABLE} (any case): a MySQL table definition, {@code CREATE TABLE t1 (c1 INT, c2 VARCHAR(10))
 *       ENGINE NDB}; columns are nullable unless {@code NOT NULL} or part of the primary key;</li>
 *   <li>anything else: Spark's DDL column list, {@code a BIGINT, b ARRAY<DOUBLE> NOT NULL}.</li>
 * </ul>
 * Keywords and types of each notation are listed in the README's "Declared schemas" table. In every notation
 * {@code CHAR(n)}/{@code VARCHAR(n)} become {@code string}, and field names must be distinct within a struct, ignoring
 * case.
 *
 * <p>Example: {@code DeclaredSchemaParser.parse("st(field(hello,string))")} returns
 * {@code StructType(StructField(hello,StringType,true))}.
 */
public final class DeclaredSchemaParser {

    /**
     * The schema Byzer means by {@code #%schema=file}: the rows pyjava's
     * {@code streaming_tar.build_rows_from_file(dir)} yields, {@code {"start": int, "offset": int, "value": bytes}},
     * one per chunk of a tar stream of the directory ({@code start}: the chunk's position in the stream,
     * {@code offset}: its length). Byzer spells it {@code st(field(start,long),field(offset,long),field(value,binary))};
     * all fields are nullable.
     */
    public static final StructType FILE_SCHEMA = DataTypes.createStructType(new StructField[] {
        DataTypes.createStructField("start", DataTypes.LongType, true),
        DataTypes.createStructField("offset", DataTypes.LongType, true),
        DataTypes.createStructField("value", DataTypes.BinaryType, true)
    });

    private static final String NOTATIONS = "'file', Byzer's st(field(name,type),...), a Spark JSON schema"
            + " {\"type\":\"struct\",\"fields\":[...]}, CREATE TABLE t (column TYPE, ...) or Spark DDL"
            + " \"name TYPE, ...\"";

    private DeclaredSchemaParser() {}

    /**
     * Parses a declared schema.
     *
     * @throws IllegalArgumentException if the text is blank or not a valid schema in the notation its start selects;
     *     the message names the notation, what was expected, the character offset and the text around it
     */
    public static StructType parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("Invalid declared schema: the schema text is "
                    + (text == null ? "missing" : "empty") + "; expected one of " + NOTATIONS);
        }
        if (text.strip().equalsIgnoreCase("file")) {
            return FILE_SCHEMA;
        }
        SchemaTextCursor start = new SchemaTextCursor("", text);
        if (start.tryChar('{')) {
            return SparkJsonSchemaReader.read(text);
        }
        String firstWord = start.readWord().toUpperCase(Locale.ROOT);
        if (firstWord.equals("ST") && start.tryChar('(')) {
            return ByzerSimpleSchemaParser.parse(text);
        }
        if (firstWord.equals("CREATE")) {
            String secondWord = start.readWord().toUpperCase(Locale.ROOT);
            if (secondWord.equals("TABLE") || secondWord.equals("TEMPORARY")) {
                return MySqlCreateTableParser.parse(text);
            }
        }
        return SparkDdlSchemaReader.read(text);
    }
}
