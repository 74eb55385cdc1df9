package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeQueryResponseParserTest {
  static final String MATRIX = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
      + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:9100\"},"
      + "\"values\":[[1672531200,\"1\"],[1672531215.5,\"NaN\"],[1672531230.123,\"+Inf\"],[1672531245,\"-Inf\"]]},"
      + "{\"metric\":{},\"values\":[[1672531200,\"-2.5e3\"]]}]},\"warnings\":[\"w\"]}";

  private static RangeQueryResponseParser.Response parse(String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return RangeQueryResponseParser.parse(bytes, bytes.length, 2);
  }

  @Test
  void decodesSeriesWithSpecialValues() throws IOException {
    RangeQueryResponseParser.Response response = parse(MATRIX);
    assertTrue(response.isSuccess());
    assertEquals(2, response.series.size());
    SeriesBlock first = response.series.get(0);
    assertEquals(Map.of("__name__", "up", "instance", "a:9100"), first.labels());
    assertEquals(4, first.size(), "arrays grow past the expected size");
    assertEquals(1672531200_000L, first.timestampMillis(0));
    assertEquals(1672531215_500L, first.timestampMillis(1));
    assertEquals(1672531230_123L, first.timestampMillis(2));
    assertEquals(1.0, first.value(0));
    assertTrue(Double.isNaN(first.value(1)));
    assertEquals(Double.POSITIVE_INFINITY, first.value(2));
    assertEquals(Double.NEGATIVE_INFINITY, first.value(3));
    assertEquals(-2500.0, response.series.get(1).value(0));
    assertEquals(5, response.sampleCount());
  }

  @Test
  void valuesParseExactlyOnTheFastAndTheGeneralPath() throws IOException {
    String[] texts = {"0", "-0", "2148941824", "-123456789012345", "999999999999999", "1234567890123456789",
        "0.1", "-2.5e3", "1e+06", "NaN", "+Inf", "-Inf", "4.9e-324"};
    for (String text : texts) {
      byte[] padded = ("xx" + text + "yy").getBytes(StandardCharsets.US_ASCII);
      double expected = ApiJsonScanner.parseSampleValue(text);
      double actual = ApiJsonScanner.parseSampleValue(padded, 2, text.length());
      assertEquals(Double.doubleToRawLongBits(expected == 0 ? Math.abs(expected) : expected),
          Double.doubleToRawLongBits(actual == 0 ? Math.abs(actual) : actual), text);
    }
    assertEquals(Double.parseDouble("1234567890123456789"),
        ApiJsonScanner.parseSampleValue("1234567890123456789".getBytes(StandardCharsets.US_ASCII), 0, 19),
        "beyond 15 digits");
    IOException bad = assertThrows(IOException.class,
        () -> ApiJsonScanner.parseSampleValue("12a".getBytes(StandardCharsets.US_ASCII), 0, 3));
    assertTrue(bad.getMessage().contains("\"12a\""), bad.getMessage());
  }

  @Test
  void decodesErrors() throws IOException {
    RangeQueryResponseParser.Response response =
        parse("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}");
    assertFalse(response.isSuccess());
    assertEquals("bad_data", response.errorType);
    assertEquals("parse error", response.error);
  }

  @Test
  void truncatedBodiesAreErrorsNotShortResults() {
    String cut = MATRIX.substring(0, MATRIX.indexOf("[1672531245"));
    assertThrows(IOException.class, () -> parse(cut));
    assertThrows(IOException.class, () -> parse(MATRIX + "{}"));
    assertThrows(IOException.class, () -> parse("<html>bad gateway</html>"));
  }
}
