package io.tributary.python;

import static io.tributary.python.DeclaredSchemas.field;
import static io.tributary.python.DeclaredSchemas.parseError;
import static io.tributary.python.DeclaredSchemas.struct;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Notation choice, the file schema, and Spark's JSON and DDL notations with positional errors. */
class DeclaredSchemaParserTest {

    @Test
    void fileIsTheStreamingTarRowSchemaByzerUses() {
        StructType expected = struct(
                field("start", DataTypes.LongType, true),
                field("offset", DataTypes.LongType, true),
                field("value", DataTypes.BinaryType, true));
        assertEquals(expected, DeclaredSchemaParser.FILE_SCHEMA);
        assertEquals(expected, DeclaredSchemaParser.parse("file"));
        assertEquals(expected, DeclaredSchemaParser.parse("  FILE \n"));
        // Byzer defines it as this simple-form text; both must stay the same schema.
        assertEquals(
                expected, DeclaredSchemaParser.parse("st(field(start,long),field(offset,long),field(value,binary))"));
    }

    @Test
    void aDdlColumnNamedFileIsStillDdl() {
        assertEquals(struct(field("file", DataTypes.StringType, true)), DeclaredSchemaParser.parse("file STRING"));
    }

    @Test
    void blankAndMissingTextAreRejected() {
        String expectedNotations = "expected one of 'file', Byzer's st(field(name,type),...), a Spark JSON schema"
                + " {\"type\":\"struct\",\"fields\":[...]}, CREATE TABLE t (column TYPE, ...) or Spark DDL"
                + " \"name TYPE, ...\"";
        assertEquals("Invalid declared schema: the schema text is empty; " + expectedNotations, parseError(" \n\t"));
        assertEquals("Invalid declared schema: the schema text is empty; " + expectedNotations, parseError(""));
        assertEquals("Invalid declared schema: the schema text is missing; " + expectedNotations, parseError(null));
    }

    @Test
    void jsonSchemaAsByzerDocumentsIt() {
        String json = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"integer\",\"nullable\":true,"
                + "\"metadata\":{}},{\"name\":\"diagnosis\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
                + "{\"name\":\"radius_mean\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]}";
        assertEquals(
                struct(
                        field("id", DataTypes.IntegerType, true),
                        field("diagnosis", DataTypes.StringType, true),
                        field("radius_mean", DataTypes.DoubleType, true)),
                DeclaredSchemaParser.parse(json));
    }

    @Test
    void jsonRoundTripsSparksOwnJsonIncludingNullabilityAndNesting() {
        StructType schema = struct(
                field("a", DataTypes.LongType, false),
                field("b", DataTypes.createArrayType(DataTypes.createDecimalType(10, 2), false), true),
                field(
                        "c",
                        DataTypes.createMapType(
                                DataTypes.StringType, struct(field("x", DataTypes.TimestampType, true)), true),
                        true));
        assertEquals(schema, DeclaredSchemaParser.parse("  " + schema.json()));
        assertEquals(schema, DeclaredSchemaParser.parse(schema.prettyJson()));
    }

    @Test
    void jsonVarcharBecomesString() {
        assertEquals(
                struct(field("v", DataTypes.StringType, true)),
                DeclaredSchemaParser.parse(
                        "{\"type\":\"struct\",\"fields\":[{\"name\":\"v\",\"type\":\"varchar(10)\",\"nullable\":true,"
                                + "\"metadata\":{}}]}"));
    }

    @Test
    void jsonNonStructTopLevelIsRejectedAtTheType() {
        assertEquals(
                "Invalid declared schema (Spark JSON schema): the top level is a \"array\"; a declared schema"
                        + " must be a struct holding the columns: {\"type\":\"struct\",\"fields\":[...]} at offset 8:"
                        + " {\"type\":>>>\"array\",\"elementType\":\"lo...",
                parseError("{\"type\":\"array\",\"elementType\":\"long\",\"containsNull\":true}"));
    }

    @Test
    void jsonUnknownFieldTypeNamesTheFieldAndItsOffset() {
        String json = "{\"type\":\"struct\",\"fields\":[{\"name\":\"ok\",\"type\":\"long\"},"
                + "{\"name\":\"bad\",\"type\":\"integr\",\"nullable\":true,\"metadata\":{}}]}";
        assertEquals(
                "Invalid declared schema (Spark JSON schema): field 2 ('bad') is not a valid Spark field:"
                        + " [INVALID_JSON_DATA_TYPE] Failed to convert the JSON string 'integr' to a data type. Please enter a"
                        + " valid data type.; expected {\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}"
                        + " at offset 55: ...ame\":\"ok\",\"type\":\"long\"},>>>{\"name\":\"bad\",\"type\":\"int...",
                parseError(json));
    }

    @Test
    void jsonFieldWithoutName() {
        String message = parseError("{\"type\":\"struct\",\"fields\":[{\"type\":\"long\"}]}");
        assertTrue(
                message.startsWith("Invalid declared schema (Spark JSON schema): field 1 (it has no \"name\") is"
                        + " not a valid Spark field: "),
                message);
        assertTrue(
                message.endsWith(" at offset 27: ...type\":\"struct\",\"fields\":[>>>{\"type\":\"long\"}]}"), message);
    }

    @Test
    void malformedJsonGivesJacksonsOffset() {
        String message = parseError("{\"type\":\"struct\",\"fields\":[");
        assertEquals(
                "Invalid declared schema (Spark JSON schema): malformed JSON: Unexpected end-of-input: expected"
                        + " close marker for Array at offset 27: ...type\":\"struct\",\"fields\":[>>>",
                message);
    }

    @Test
    void jsonStructuralMistakes() {
        assertEquals(
                "Invalid declared schema (Spark JSON schema): the struct declares no fields; expected"
                        + " \"fields\":[{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}, ...] at offset 28:"
                        + " ...ype\":\"struct\",\"fields\":[]>>>}",
                parseError("{\"type\":\"struct\",\"fields\":[]}"));
        assertTrue(parseError("{\"fields\":[]}").contains("the schema object has no \"type\""));
        assertTrue(parseError("{\"type\":\"struct\",\"fields\":{}}").contains("expected an array of fields"));
        assertTrue(parseError("{\"type\":\"struct\",\"fields\":[1]}").contains("expected a field object"));
        assertEquals(
                "Invalid declared schema (Spark JSON schema): expected the end of the text after the schema"
                        + " object but found '[' at offset 86: ...e\":true,\"metadata\":{}}]} >>>[1]",
                parseError("{\"type\":\"struct\",\"fields\":[" + "{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,"
                        + "\"metadata\":{}}]} [1]"));
        assertEquals(
                "Invalid declared schema (Spark JSON schema): malformed JSON: Unrecognized token 'x': was"
                        + " expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at offset 46:"
                        + " ...lds\":[{\"name\":\"a\",\"type\":>>>x}]}",
                parseError("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":x}]}"));
    }

    @Test
    void jsonDuplicateNamesAreRejected() {
        assertEquals(
                "Invalid declared schema (Spark JSON schema): field name 'A' is used twice in the top-level"
                        + " struct, by fields 1 and 2; names must be distinct ignoring case, as Spark resolves columns",
                parseError("{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"},{\"name\":\"A\","
                        + "\"type\":\"long\"}]}"));
    }

    @Test
    void ddlColumnList() {
        assertEquals(
                struct(
                        field("a", DataTypes.LongType, true),
                        field("b", DataTypes.createArrayType(DataTypes.DoubleType, true), true)),
                DeclaredSchemaParser.parse("a BIGINT, b ARRAY<DOUBLE>"));
    }

    @Test
    void ddlNotNullCommentAndNestedTypes() {
        StructType parsed = DeclaredSchemaParser.parse(
                "id INT NOT NULL COMMENT 'the key', m MAP<STRING, STRUCT<x: DECIMAL(5,1), y: VARCHAR(3)>>, t TIMESTAMP");
        assertEquals(
                struct(
                        field("id", DataTypes.IntegerType, false).withComment("the key"),
                        field(
                                "m",
                                DataTypes.createMapType(
                                        DataTypes.StringType,
                                        struct(
                                                field("x", DataTypes.createDecimalType(5, 1), true),
                                                field("y", DataTypes.StringType, true)),
                                        true),
                                true),
                        field("t", DataTypes.TimestampType, true)),
                parsed);
    }

    @Test
    void ddlSyntaxErrorIsPositional() {
        assertEquals(
                "Invalid declared schema (Spark DDL): [PARSE_SYNTAX_ERROR] Syntax error at or near ','.;"
                        + " expected Spark DDL column definitions \"name TYPE [NOT NULL] [COMMENT '...'], ...\" such as"
                        + " \"a BIGINT, b ARRAY<DOUBLE>\" at offset 9: a BIGINT,>>>, b INT",
                parseError("a BIGINT,, b INT"));
    }

    @Test
    void ddlUnknownTypeIsPositionalOnLaterLines() {
        String message = parseError("a BIGINT,\n  b FOO");
        assertTrue(
                message.startsWith("Invalid declared schema (Spark DDL): [UNSUPPORTED_DATATYPE] Unsupported data"
                        + " type \"FOO\"."),
                message);
        assertTrue(message.endsWith(" at offset 14 (line 2, column 5): a BIGINT,   b >>>FOO"), message);
    }

    @Test
    void ddlDuplicateNamesAreRejected() {
        assertEquals(
                "Invalid declared schema (Spark DDL): field name 'x' is used twice in the struct of field 's',"
                        + " by fields 1 and 2; names must be distinct ignoring case, as Spark resolves columns",
                parseError("s STRUCT<x: INT, x: STRING>"));
    }

    @Test
    void notationIsChosenByTheStart() {
        // "st" followed by something other than "(" is a DDL column named st.
        assertEquals(struct(field("st", DataTypes.IntegerType, true)), DeclaredSchemaParser.parse("st INT"));
        // "create" followed by something other than TABLE/TEMPORARY is a DDL column named create.
        assertEquals(struct(field("create", DataTypes.IntegerType, true)), DeclaredSchemaParser.parse("create INT"));
        assertEquals(
                struct(field("c1", DataTypes.IntegerType, true)),
                DeclaredSchemaParser.parse("create table t1 (c1 INT)"));
        assertTrue(parseError("st(field(a,lng))").startsWith("Invalid declared schema (Byzer simple form)"));
        assertTrue(parseError("{").startsWith("Invalid declared schema (Spark JSON schema)"));
        assertTrue(parseError("CREATE TABLE t").startsWith("Invalid declared schema (MySQL CREATE TABLE)"));
        assertFalse(parseError("a LNG").startsWith("Invalid declared schema (Byzer"));
    }
}
