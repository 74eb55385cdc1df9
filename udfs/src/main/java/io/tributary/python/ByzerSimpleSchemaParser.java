package io.tributary.python;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Recursive-descent parser for Byzer's simple schema notation, {@code st(field(a,long),field(b,array(double)))}.
 *
 * <pre>
 * schema := struct ')'*                      -- surplus ')' at the very end are ignored, as Byzer did
 * struct := 'st' '(' field (',' field)* ')'
 * field  := 'field' '(' name ',' type ')'    -- name: any characters but ',', '(' and ')', trimmed
 * type   := string | long | integer | short | byte | double | float | boolean | binary | date | timestamp
 *         | decimal [ '(' precision ',' scale ')' ] | array '(' type ')' | map '(' type ',' type ')' | struct
 * </pre>
 *
 * Keywords are matched in any case; whitespace is allowed between all tokens. Every field, array element and map
 * value is nullable, as in Byzer. Bare {@code decimal} is Spark's {@code double}, exactly as Byzer's own parser
 * (tech.mlsql.schema.parser.SparkSimpleSchemaParser) maps it, so Byzer scripts keep returning the same type;
 * {@code decimal(p,s)} and {@code timestamp} are additions.
 */
final class ByzerSimpleSchemaParser {

    static final String NOTATION = "Byzer simple form";

    private static final String TYPE_KEYWORDS = "string, long, integer, short, byte, double, float, boolean, binary,"
            + " date, timestamp, decimal, decimal(p,s), array(...), map(...,...) or st(...)";

    /** Types other notations spell differently, so the error can say what to write instead. */
    private static final Map<String, String> SPELLING_HINTS = Map.ofEntries(
            Map.entry("int", "integer"),
            Map.entry("bigint", "long"),
            Map.entry("smallint", "short"),
            Map.entry("tinyint", "byte"),
            Map.entry("varchar", "string"),
            Map.entry("char", "string"),
            Map.entry("text", "string"),
            Map.entry("str", "string"),
            Map.entry("bool", "boolean"),
            Map.entry("real", "double"),
            Map.entry("datetime", "timestamp"),
            Map.entry("struct", "st(...)"),
            Map.entry("bytes", "binary"));

    private final SchemaTextCursor cursor;

    private ByzerSimpleSchemaParser(String text) {
        this.cursor = new SchemaTextCursor(NOTATION, text);
    }

    static StructType parse(String text) {
        return new ByzerSimpleSchemaParser(text).parseSchema();
    }

    private StructType parseSchema() {
        if (!cursor.tryKeyword("st")) {
            throw cursor.expected("'st(' (the schema's top-level struct)");
        }
        StructType schema = parseStructBody();
        // Byzer's parser stopped at the struct's closing parenthesis, so Byzer cells with one ')' too many (the seed's
        // "st(field(features,array(double)),field(label,long)))") ran there; they must run here too.
        while (cursor.tryChar(')')) {
            // surplus closing parenthesis
        }
        if (!cursor.atEnd()) {
            throw cursor.expected("the end of the schema after the top-level st(...)");
        }
        return schema;
    }

    /** The part of a struct after the {@code st} keyword. */
    private StructType parseStructBody() {
        cursor.expectChar('(', "'(' after 'st'");
        List<StructField> fields = new ArrayList<>();
        Map<String, Integer> firstOffsetByName = new HashMap<>();
        do {
            fields.add(parseField(firstOffsetByName));
        } while (cursor.tryChar(','));
        cursor.expectChar(')', "',' and another field(...), or ')' closing the st(...)");
        return DataTypes.createStructType(fields);
    }

    private StructField parseField(Map<String, Integer> firstOffsetByName) {
        if (!cursor.tryKeyword("field")) {
            throw cursor.expected("'field(name,type)'");
        }
        cursor.expectChar('(', "'(' after 'field'");
        cursor.skipSpace();
        int nameOffset = cursor.position();
        String name = cursor.readUntilAny(",()").strip();
        if (name.isEmpty()) {
            throw cursor.expected("a field name");
        }
        Integer earlier = firstOffsetByName.putIfAbsent(name.toLowerCase(Locale.ROOT), nameOffset);
        if (earlier != null) {
            throw cursor.errorAt(
                    nameOffset,
                    "field name '" + name + "' is already used at offset " + earlier
                            + " in the same st(...) (names are compared ignoring case, as Spark resolves columns)");
        }
        cursor.expectChar(',', "',' between the field name '" + name + "' and its type");
        DataType type = parseType();
        cursor.expectChar(')', "')' closing field(" + name + ",...)");
        return DataTypes.createStructField(name, type, true);
    }

    private DataType parseType() {
        cursor.skipSpace();
        int offset = cursor.position();
        String word = cursor.readWord();
        String keyword = word.toLowerCase(Locale.ROOT);
        switch (keyword) {
            case "string":
                return DataTypes.StringType;
            case "long":
                return DataTypes.LongType;
            case "integer":
                return DataTypes.IntegerType;
            case "short":
                return DataTypes.ShortType;
            case "byte":
                return DataTypes.ByteType;
            case "double":
                return DataTypes.DoubleType;
            case "float":
                return DataTypes.FloatType;
            case "boolean":
                return DataTypes.BooleanType;
            case "binary":
                return DataTypes.BinaryType;
            case "date":
                return DataTypes.DateType;
            case "timestamp":
                return DataTypes.TimestampType;
            case "decimal":
                return parseDecimal();
            case "array":
                return parseArray();
            case "map":
                return parseMap();
            case "st":
                return parseStructBody();
            case "":
                throw cursor.expected("a type (" + TYPE_KEYWORDS + ")");
            default:
                String hint = SPELLING_HINTS.get(keyword);
                throw cursor.errorAt(
                        offset,
                        "unknown type '" + word + "'"
                                + (hint == null ? "" : "; the simple form writes it '" + hint + "'")
                                + "; expected one of " + TYPE_KEYWORDS);
        }
    }

    private DataType parseDecimal() {
        if (!cursor.tryChar('(')) {
            return DataTypes.DoubleType;
        }
        cursor.skipSpace();
        int precisionOffset = cursor.position();
        int precision = cursor.readUnsignedInt("the decimal precision (1 to " + DecimalType.MAX_PRECISION() + ")");
        cursor.expectChar(',', "',' and the decimal scale (decimal(precision,scale))");
        cursor.skipSpace();
        int scaleOffset = cursor.position();
        int scale = cursor.readUnsignedInt("the decimal scale (0 to the precision)");
        cursor.expectChar(')', "')' closing decimal(precision,scale)");
        String precisionProblem = DecimalBounds.precisionProblem(precision);
        if (precisionProblem != null) {
            throw cursor.errorAt(precisionOffset, precisionProblem);
        }
        String scaleProblem = DecimalBounds.scaleProblem(precision, scale);
        if (scaleProblem != null) {
            throw cursor.errorAt(scaleOffset, scaleProblem);
        }
        return DataTypes.createDecimalType(precision, scale);
    }

    private DataType parseArray() {
        cursor.expectChar('(', "'(' after 'array' (array(elementType))");
        DataType element = parseType();
        cursor.expectChar(')', "')' closing array(...)");
        return DataTypes.createArrayType(element, true);
    }

    private DataType parseMap() {
        cursor.expectChar('(', "'(' after 'map' (map(keyType,valueType))");
        DataType key = parseType();
        cursor.expectChar(',', "',' and the map's value type");
        DataType value = parseType();
        cursor.expectChar(')', "')' closing map(...)");
        return DataTypes.createMapType(key, value, true);
    }
}
