package io.tributary.python;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Spark's JSON schema ({@code {"type":"struct","fields":[...]}}, what {@code StructType.json()} and Byzer's
 * {@code !desc table json} print) through Spark's own {@code DataType.fromJson}. Spark's parser reports neither where
 * nor which field is wrong, so the text is first scanned with Jackson's streaming parser, which knows character
 * offsets: syntax errors, a top level that is not a struct, and each field that Spark rejects are reported at their
 * offset, the field by its position and name.
 */
final class SparkJsonSchemaReader {

    static final String NOTATION = "Spark JSON schema";

    private static final String FIELD_SHAPE = "{\"name\":\"a\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}}";
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final String text;

    private SparkJsonSchemaReader(String text) {
        this.text = text;
    }

    /** One element of the top-level "fields" array: where it is and its name, if it has one. */
    private record FieldSpan(int start, int end, String name) {}

    static StructType read(String text) {
        return new SparkJsonSchemaReader(text).read();
    }

    private StructType read() {
        List<FieldSpan> fields;
        try (JsonParser parser = JSON.createParser(text)) {
            fields = scanTopLevel(parser);
        } catch (JsonProcessingException e) {
            throw SchemaSyntaxError.at(
                    NOTATION,
                    text,
                    (int) e.getLocation().getCharOffset(),
                    "malformed JSON: " + withoutJacksonLocation(e.getOriginalMessage()),
                    e);
        } catch (IOException e) {
            throw new IllegalStateException("reading a schema from a string failed", e);
        }
        for (int i = 0; i < fields.size(); i++) {
            checkField(i, fields.get(i));
        }
        StructType schema;
        try {
            schema = (StructType) DataType.fromJson(text);
        } catch (RuntimeException e) {
            throw SchemaSyntaxError.at(
                    NOTATION, text, 0, "Spark rejects the schema: " + SchemaSyntaxError.sparkMessage(e), e);
        }
        return SparkSchemaNormalizer.normalize(schema, NOTATION);
    }

    private List<FieldSpan> scanTopLevel(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw expected(parser, "'{' opening a JSON struct schema {\"type\":\"struct\",\"fields\":[...]}");
        }
        String type = null;
        int typeOffset = 0;
        List<FieldSpan> fields = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String member = parser.currentName();
            JsonToken value = parser.nextToken();
            if (member.equals("type")) {
                if (value != JsonToken.VALUE_STRING) {
                    throw expected(parser, "a string after \"type\"");
                }
                type = parser.getText();
                typeOffset = offset(parser);
            } else if (member.equals("fields")) {
                if (value != JsonToken.START_ARRAY) {
                    throw expected(parser, "an array of fields [" + FIELD_SHAPE + ", ...] after \"fields\"");
                }
                fields = scanFields(parser);
            } else {
                parser.skipChildren();
            }
        }
        int end = offset(parser);
        if (parser.nextToken() != null) {
            throw expected(parser, "the end of the text after the schema object");
        }
        if (type == null) {
            throw SchemaSyntaxError.at(
                    NOTATION,
                    text,
                    end,
                    "the schema object has no \"type\"; expected" + " {\"type\":\"struct\",\"fields\":[...]}");
        }
        if (!type.equals("struct")) {
            throw SchemaSyntaxError.at(
                    NOTATION,
                    text,
                    typeOffset,
                    "the top level is a \"" + type + "\"; a declared"
                            + " schema must be a struct holding the columns: {\"type\":\"struct\",\"fields\":[...]}");
        }
        if (fields == null || fields.isEmpty()) {
            throw SchemaSyntaxError.at(
                    NOTATION,
                    text,
                    end,
                    "the struct declares no fields; expected \"fields\":[" + FIELD_SHAPE + ", ...]");
        }
        return fields;
    }

    private List<FieldSpan> scanFields(JsonParser parser) throws IOException {
        List<FieldSpan> fields = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            int start = offset(parser);
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw expected(parser, "a field object " + FIELD_SHAPE);
            }
            String name = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isName = parser.currentName().equals("name");
                if (parser.nextToken() == JsonToken.VALUE_STRING && isName) {
                    name = parser.getText();
                }
                parser.skipChildren();
            }
            fields.add(new FieldSpan(start, (int) parser.currentLocation().getCharOffset(), name));
        }
        return fields;
    }

    /** Lets Spark read the field alone, so its complaint can be pinned to this field. */
    private void checkField(int index, FieldSpan field) {
        String alone = "{\"type\":\"struct\",\"fields\":[" + text.substring(field.start(), field.end()) + "]}";
        try {
            DataType.fromJson(alone);
        } catch (RuntimeException e) {
            String which = "field " + (index + 1)
                    + (field.name() == null ? " (it has no \"name\")" : " ('" + field.name() + "')");
            throw SchemaSyntaxError.at(
                    NOTATION,
                    text,
                    field.start(),
                    which + " is not a valid Spark field: " + SchemaSyntaxError.sparkMessage(e) + "; expected "
                            + FIELD_SHAPE,
                    e);
        }
    }

    private static int offset(JsonParser parser) {
        return (int) parser.currentTokenLocation().getCharOffset();
    }

    private IllegalArgumentException expected(JsonParser parser, String expected) {
        JsonToken found = parser.currentToken();
        return SchemaSyntaxError.at(
                NOTATION,
                text,
                found == null ? text.length() : offset(parser),
                "expected " + expected + " but found " + (found == null ? "the end of the text" : describe(parser)));
    }

    private static String describe(JsonParser parser) {
        try {
            return "'" + parser.getText() + "'";
        } catch (IOException e) {
            return parser.currentToken().name();
        }
    }

    /** Jackson repeats locations in its own words; the error gives the offset already. */
    private static String withoutJacksonLocation(String message) {
        return message.replaceAll("(?s)\\s*\\(start marker at \\[Source:.*?\\]\\)", "");
    }
}
