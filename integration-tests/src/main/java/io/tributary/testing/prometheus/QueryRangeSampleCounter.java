package io.tributary.testing.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the series and samples of a {@code query_range} JSON response with Jackson's streaming parser, touching
 * every token (timestamps as numbers, values as text) but keeping nothing: what reading the JSON API costs at
 * least. A {@code "status":"error"} response becomes an exception carrying Prometheus' own message.
 */
final class QueryRangeSampleCounter {
    /** The caller owns the stream: it still counts the bytes after the JSON and closes the response itself. */
    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    record Counts(long series, long samples) {}

    private QueryRangeSampleCounter() {}

    static Counts count(InputStream body) throws IOException {
        long series = 0;
        long samples = 0;
        String status = null;
        String errorType = null;
        String error = null;
        try (JsonParser p = JSON.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, p);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "status" -> status = p.getText();
                    case "errorType" -> errorType = p.getText();
                    case "error" -> error = p.getText();
                    case "data" -> {
                        expect(value, JsonToken.START_OBJECT, p);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String dataField = p.currentName();
                            JsonToken dataValue = p.nextToken();
                            if ("result".equals(dataField)) {
                                expect(dataValue, JsonToken.START_ARRAY, p);
                                while (p.nextToken() == JsonToken.START_OBJECT) {
                                    series++;
                                    samples += countSeries(p);
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
        if (!"success".equals(status)) {
            throw new IOException("Prometheus answered status=" + status + ", errorType=" + errorType + ": " + error);
        }
        return new Counts(series, samples);
    }

    /** Reads one {@code {"metric":{...},"values":[[t,"v"],...]}} object and returns its number of points. */
    private static long countSeries(JsonParser p) throws IOException {
        long points = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if ("values".equals(field)) {
                expect(value, JsonToken.START_ARRAY, p);
                while (p.nextToken() == JsonToken.START_ARRAY) {
                    p.nextToken();
                    p.getDoubleValue();
                    p.nextToken();
                    p.getText();
                    expect(p.nextToken(), JsonToken.END_ARRAY, p);
                    points++;
                }
            } else {
                p.skipChildren();
            }
        }
        return points;
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser p) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected JSON in query_range response at " + p.currentLocation() + ": expected "
                    + expected + ", got " + actual);
        }
    }
}
