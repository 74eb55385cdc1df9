package io.tributary.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
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
      return parse(parser, expectedPoints);
    }
  }

  /**
   * Decodes while the body is still arriving, so that the server's encoding and this decoding overlap. The
   * caller hands out nothing until this returns: a body cut off midway is an {@link IOException}, never a
   * shorter answer.
   */
  static Response parse(InputStream body, int expectedPoints) throws IOException {
    try (JsonParser parser = JSON.createParser(body)) {
      return parse(parser, expectedPoints);
    }
  }

  private static Response parse(JsonParser parser, int expectedPoints) throws IOException {
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
          timestamps[size] = parseTimestampMillis(parser, parser.nextToken());
          expect(parser.nextToken(), JsonToken.VALUE_STRING, parser);
          values[size] = parseValue(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
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

  /** Seconds as a JSON number: whole seconds (the common case) without going through a double. */
  private static long parseTimestampMillis(JsonParser parser, JsonToken token) throws IOException {
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return parser.getLongValue() * 1000;
    }
    expect(token, JsonToken.VALUE_NUMBER_FLOAT, parser);
    return Math.round(parser.getDoubleValue() * 1000);
  }

  /** Largest digit count whose integer value is always exactly a double. */
  private static final int EXACT_DIGITS = 15;

  /**
   * A sample value. Prometheus writes them with Go's {@code FormatFloat(v, 'f', -1, 64)}, so most are plain
   * integers (byte counts, counters): those of up to 15 digits are converted exactly without allocating; the
   * rest, and {@code NaN}, {@code +Inf}, {@code -Inf}, take the general path.
   */
  static double parseValue(char[] text, int offset, int length) {
    int i = offset;
    int end = offset + length;
    boolean negative = length > 0 && text[i] == '-';
    if (negative) {
      i++;
    }
    int digits = end - i;
    if (digits > 0 && digits <= EXACT_DIGITS) {
      long value = 0;
      for (; i < end; i++) {
        char c = text[i];
        if (c < '0' || c > '9') {
          return parseValue(new String(text, offset, length));
        }
        value = value * 10 + (c - '0');
      }
      return negative ? -(double) value : (double) value;
    }
    return parseValue(new String(text, offset, length));
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
