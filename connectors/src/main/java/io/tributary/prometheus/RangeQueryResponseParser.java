package io.tributary.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a {@code /api/v1/query_range} answer straight into primitive arrays, with {@link ApiJsonScanner}:
 * timestamps are JSON numbers in seconds (up to millisecond precision), values are strings, including
 * {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"}. Fields it does not know are skipped.
 */
final class RangeQueryResponseParser {
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
    return parse(new ApiJsonScanner(body, length), expectedPoints);
  }

  /**
   * Decodes while the body is still arriving, so that the server's encoding and this decoding overlap. The
   * caller hands out nothing until this returns: a body cut off midway is an {@link IOException}, never a
   * shorter answer.
   */
  static Response parse(InputStream body, int expectedPoints) throws IOException {
    return parse(new ApiJsonScanner(body), expectedPoints);
  }

  private static Response parse(ApiJsonScanner json, int expectedPoints) throws IOException {
    ResponseReader reader = new ResponseReader(json, expectedPoints);
    json.readObject(reader::readMember);
    json.expectEnd();
    if (reader.status == null) {
      throw new IOException("no 'status' in the body");
    }
    return new Response(reader.status, reader.errorType, reader.error, reader.series);
  }

  /** The members of a response as they are read; fields it does not know are skipped. */
  private static final class ResponseReader {
    private final ApiJsonScanner json;
    private final int expectedPoints;
    private final List<SeriesBlock> series = new ArrayList<>();
    private String status;
    private String errorType;
    private String error;

    ResponseReader(ApiJsonScanner json, int expectedPoints) {
      this.json = json;
      this.expectedPoints = expectedPoints;
    }

    void readMember(String name) throws IOException {
      switch (name) {
        case "status" -> status = stringOrNull();
        case "errorType" -> errorType = stringOrNull();
        case "error" -> error = stringOrNull();
        case "data" -> {
          if (!json.consumeNull()) {
            json.readObject(this::readDataMember);
          }
        }
        default -> json.skipValue();
      }
    }

    private String stringOrNull() throws IOException {
      return json.consumeNull() ? null : json.readString();
    }

    private void readDataMember(String name) throws IOException {
      if (name.equals("result")) {
        json.readArray(() -> series.add(new SeriesReader(json, expectedPoints).read()));
      } else {
        json.skipValue();
      }
    }
  }

  /** One {@code {"metric": {...}, "values": [[t, "v"], ...]}} object, into primitive arrays. */
  private static final class SeriesReader {
    private final ApiJsonScanner json;
    private Map<String, String> labels = Map.of();
    private long[] timestamps;
    private double[] values;
    private int size;

    SeriesReader(ApiJsonScanner json, int expectedPoints) {
      this.json = json;
      this.timestamps = new long[Math.max(expectedPoints, 1)];
      this.values = new double[timestamps.length];
    }

    SeriesBlock read() throws IOException {
      json.readObject(this::readMember);
      return new SeriesBlock(labels, timestamps, values, size);
    }

    private void readMember(String name) throws IOException {
      switch (name) {
        case "metric" -> {
          Map<String, String> read = new LinkedHashMap<>();
          json.readObject(label -> read.put(label, json.readString()));
          labels = read;
        }
        case "values" -> json.readArray(this::readSample);
        default -> json.skipValue();
      }
    }

    private void readSample() throws IOException {
      if (size == timestamps.length) {
        timestamps = Arrays.copyOf(timestamps, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      if (!json.readCompactSample(timestamps, values, size)) {
        json.expect('[');
        timestamps[size] = json.readSecondsAsMillis();
        json.expect(',');
        values[size] = json.readSampleValue();
        json.expect(']');
      }
      size++;
    }
  }
}
