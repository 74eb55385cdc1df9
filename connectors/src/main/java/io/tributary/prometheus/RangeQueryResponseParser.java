package io.tributary.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a {@code /api/v1/query_range} answer with Jackson's streaming parser, straight into primitive arrays:
 * timestamps are JSON numbers in seconds (up to millisecond precision), values are strings, including
 * {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"}.
 */
final class RangeQueryResponseParser {
  private static final JsonFactory JSON = new JsonFactory();

  /** What a body said: the series, or the server's error. */
  static final class Response {
    final String status;
    final String errorType;
    final String error;
    final List<SeriesBlock> series;

    Response(String status, String errorType, String error, List<SeriesBlock> series) {
      this.status = status;
      this.errorType = errorType;
      this.error = error;
      this.series = series;
    }

    boolean isSuccess() {
      return "success".equals(status);
    }

    long sampleCount() {
      long total = 0;
      for (SeriesBlock block : series) {
        total += block.size();
      }
      return total;
    }
  }

  private RangeQueryResponseParser() {}

  /**
   * @param expectedPoints points per series the request can return, to size arrays once
   * @throws IOException if the body is not complete, well-formed JSON of the expected shape
   */
  static Response parse(byte[] body, int length, int expectedPoints) throws IOException {
    try (JsonParser parser = JSON.createParser(body, 0, length)) {
      expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
      String status = null;
      String errorType = null;
      String error = null;
      List<SeriesBlock> series = new ArrayList<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken token = parser.nextToken();
        switch (field) {
          case "status": status = parser.getValueAsString(); break;
          case "errorType": errorType = parser.getValueAsString(); break;
          case "error": error = parser.getValueAsString(); break;
          case "data":
            expect(token, JsonToken.START_OBJECT, parser);
            parseData(parser, series, expectedPoints);
            break;
          default: parser.skipChildren();
        }
      }
      expect(parser.currentToken(), JsonToken.END_OBJECT, parser);
      if (parser.nextToken() != null) {
        throw new IOException("trailing content after the JSON body");
      }
      if (status == null) {
        throw new IOException("no 'status' in the body");
      }
      return new Response(status, errorType, error, series);
    }
  }

  private static void parseData(JsonParser parser, List<SeriesBlock> series, int expectedPoints)
      throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (field.equals("result")) {
        expect(token, JsonToken.START_ARRAY, parser);
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          series.add(parseSeries(parser, expectedPoints));
        }
        expect(parser.currentToken(), JsonToken.END_ARRAY, parser);
      } else {
        parser.skipChildren();
      }
    }
    expect(parser.currentToken(), JsonToken.END_OBJECT, parser);
  }

  private static SeriesBlock parseSeries(JsonParser parser, int expectedPoints) throws IOException {
    Map<String, String> labels = Map.of();
    long[] timestamps = new long[Math.max(expectedPoints, 1)];
    double[] values = new double[timestamps.length];
    int size = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken token = parser.nextToken();
      if (field.equals("metric")) {
        expect(token, JsonToken.START_OBJECT, parser);
        labels = parseLabels(parser);
      } else if (field.equals("values")) {
        expect(token, JsonToken.START_ARRAY, parser);
        while (parser.nextToken() == JsonToken.START_ARRAY) {
          if (size == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, size * 2);
            values = Arrays.copyOf(values, size * 2);
          }
          parser.nextToken();
          timestamps[size] = Math.round(parser.getDoubleValue() * 1000);
          parser.nextToken();
          values[size] = parseValue(parser.getText());
          expect(parser.nextToken(), JsonToken.END_ARRAY, parser);
          size++;
        }
        expect(parser.currentToken(), JsonToken.END_ARRAY, parser);
      } else {
        parser.skipChildren();
      }
    }
    expect(parser.currentToken(), JsonToken.END_OBJECT, parser);
    return new SeriesBlock(labels, timestamps, values, size);
  }

  private static Map<String, String> parseLabels(JsonParser parser) throws IOException {
    Map<String, String> labels = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      parser.nextToken();
      labels.put(name, parser.getText());
    }
    expect(parser.currentToken(), JsonToken.END_OBJECT, parser);
    return labels;
  }

  static double parseValue(String text) {
    switch (text) {
      case "NaN": return Double.NaN;
      case "+Inf": return Double.POSITIVE_INFINITY;
      case "-Inf": return Double.NEGATIVE_INFINITY;
      default: return Double.parseDouble(text);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
    if (actual != expected) {
      throw new IOException("unexpected JSON: wanted " + expected + ", found " + actual + " at "
          + parser.currentLocation().getCharOffset());
    }
  }
}
