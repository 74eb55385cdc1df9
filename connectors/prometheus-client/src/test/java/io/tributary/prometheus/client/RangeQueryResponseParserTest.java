package io.tributary.prometheus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        String[] texts = {
            "0",
            "-0",
            "2148941824",
            "-123456789012345",
            "999999999999999",
            "1234567890123456789",
            "0.1",
            "-2.5e3",
            "1e+06",
            "NaN",
            "+Inf",
            "-Inf",
            "4.9e-324"
        };
        for (String text : texts) {
            byte[] padded = ("xx" + text + "yy").getBytes(StandardCharsets.US_ASCII);
            double expected = ApiJsonScanner.parseSampleValue(text);
            double actual = ApiJsonScanner.parseSampleValue(padded, 2, text.length());
            assertEquals(
                    Double.doubleToRawLongBits(expected == 0 ? Math.abs(expected) : expected),
                    Double.doubleToRawLongBits(actual == 0 ? Math.abs(actual) : actual),
                    text);
        }
        assertEquals(
                Double.parseDouble("1234567890123456789"),
                ApiJsonScanner.parseSampleValue("1234567890123456789".getBytes(StandardCharsets.US_ASCII), 0, 19),
                "beyond 15 digits");
        IOException bad = assertThrows(
                IOException.class,
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

    /** Prometheus 2.42's answer for a native histogram scraped from client_java 1.x (three observations). */
    static final String HISTOGRAMS = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            + "{\"metric\":{\"__name__\":\"tributary_latency_seconds\",\"path\":\"/a\"},\"histograms\":["
            + "[1796539191,{\"count\":\"3\",\"sum\":\"2.5\",\"buckets\":[[3,\"-2.938735877055719e-39\","
            + "\"2.938735877055719e-39\",\"1\"],[0,\"0.48928603104384993\",\"0.5\",\"1\"],"
            + "[0,\"1.9571441241753997\",\"2\",\"1\"]]}],"
            + "[1796539192.5,{\"count\":\"0\",\"sum\":\"0\"}]]}]}}";

    /** The histogram's count, sum and buckets as [rule, lower, upper, count] rows, for exact comparison. */
    private static List<Object> histogram(NativeHistogram histogram) {
        List<Object> buckets = new ArrayList<>();
        for (int i = 0; i < histogram.buckets(); i++) {
            buckets.add(List.of(
                    histogram.boundaryRule(i), histogram.lower(i), histogram.upper(i), histogram.bucketCount(i)));
        }
        return List.of(histogram.count(), histogram.sum(), buckets);
    }

    @Test
    void decodesNativeHistogramsExactly() throws IOException {
        RangeQueryResponseParser.Response response = parse(HISTOGRAMS);
        SeriesBlock block = response.series.get(0);
        assertEquals(Map.of("__name__", "tributary_latency_seconds", "path", "/a"), block.labels());
        assertEquals(2, block.size());
        assertEquals(2, response.sampleCount(), "histogram points count as samples");
        assertEquals(1796539191_000L, block.timestampMillis(0));
        assertEquals(
                List.of(
                        3.0,
                        2.5,
                        List.of(
                                List.of(3, -2.938735877055719e-39, 2.938735877055719e-39, 1.0),
                                List.of(0, 0.48928603104384993, 0.5, 1.0),
                                List.of(0, 1.9571441241753997, 2.0, 1.0))),
                histogram(block.histogram(0)));
        assertEquals(1796539192_500L, block.timestampMillis(1));
        assertEquals(List.of(0.0, 0.0, List.of()), histogram(block.histogram(1)), "no 'buckets': none populated");
    }

    @Test
    void aSeriesWithFloatsAndHistogramsKeepsBothInTimeOrder() throws IOException {
        RangeQueryResponseParser.Response response = parse("{\"status\":\"success\",\"data\":{\"result\":["
                + "{\"metric\":{\"__name__\":\"m\"},\"values\":[[10,\"1\"],[13,\"4\"]],"
                + "\"histograms\":[[11,{\"count\":\"2\",\"sum\":\"NaN\",\"buckets\":[]}],"
                + "[12,{\"count\":\"+Inf\",\"sum\":\"-Inf\",\"buckets\":[[1,\"-1\",\"0\",\"2\"],[2,\"0\",\"1\",\"0.5\"]]}],"
                + "[14,{\"count\":\"1\",\"sum\":\"+Inf\"}]]},"
                + "{\"metric\":{\"__name__\":\"f\"},\"values\":[[10,\"7\"]]}]}}");
        SeriesBlock mixed = response.series.get(0);
        assertEquals(5, mixed.size());
        assertEquals(6, response.sampleCount());
        long[] times = new long[5];
        for (int i = 0; i < 5; i++) {
            times[i] = mixed.timestampMillis(i);
        }
        assertEquals(
                List.of(10_000L, 11_000L, 12_000L, 13_000L, 14_000L),
                Arrays.stream(times).boxed().toList());
        assertNull(mixed.histogram(0));
        assertEquals(1.0, mixed.value(0));
        assertNull(mixed.histogram(3));
        assertEquals(4.0, mixed.value(3));
        NativeHistogram nanSum = mixed.histogram(1);
        assertEquals(2.0, nanSum.count());
        assertTrue(Double.isNaN(nanSum.sum()));
        assertEquals(0, nanSum.buckets(), "an empty bucket list");
        assertEquals(
                List.of(
                        Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY,
                        List.of(List.of(1, -1.0, 0.0, 2.0), List.of(2, 0.0, 1.0, 0.5))),
                histogram(mixed.histogram(2)));
        assertEquals(List.of(1.0, Double.POSITIVE_INFINITY, List.of()), histogram(mixed.histogram(4)));
        SeriesBlock floats = response.series.get(1);
        assertEquals(1, floats.size());
        assertNull(floats.histogram(0));
        assertEquals(7.0, floats.value(0));
    }

    @Test
    void unknownMembersOfASeriesOrAHistogramFailInsteadOfBeingSkipped() {
        PrometheusAnswerException series = assertThrows(
                PrometheusAnswerException.class,
                () -> parse("{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{\"job\":\"a\"},"
                        + "\"values\":[[1,\"1\"]],\"exemplars\":[]}]}}"));
        assertEquals(
                "unknown member 'exemplars' in series {job=a} of the answer; this reader knows 'metric', 'values'"
                        + " and 'histograms', and fails rather than skip what may hold points",
                series.getMessage());
        PrometheusAnswerException histogram = assertThrows(
                PrometheusAnswerException.class,
                () -> parse("{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{\"job\":\"a\"},"
                        + "\"histograms\":[[1,{\"count\":\"1\",\"sum\":\"1\",\"schema\":3}]]}]}}"));
        assertEquals(
                "unknown member 'schema' in a histogram of series {job=a} of the answer; this reader knows"
                        + " 'count', 'sum' and 'buckets', and fails rather than skip part of a histogram",
                histogram.getMessage());
        PrometheusAnswerException rule = assertThrows(
                PrometheusAnswerException.class,
                () -> parse(
                        "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{},"
                                + "\"histograms\":[[1,{\"count\":\"1\",\"sum\":\"1\",\"buckets\":[[4,\"0\",\"1\",\"1\"]]}]]}]}}"));
        assertTrue(
                rule.getMessage().startsWith("a histogram bucket of a series has boundary rule 4;"), rule.getMessage());
        PrometheusAnswerException noCount = assertThrows(
                PrometheusAnswerException.class,
                () -> parse("{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{},"
                        + "\"histograms\":[[1,{\"sum\":\"1\"}]]}]}}"));
        assertEquals("a histogram of a series in the answer has no 'count'", noCount.getMessage());
        IOException fractionalRule = assertThrows(
                IOException.class,
                () -> parse(
                        "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{},"
                                + "\"histograms\":[[1,{\"count\":\"1\",\"sum\":\"1\",\"buckets\":[[0.5,\"0\",\"1\",\"1\"]]}]]}]}}"));
        assertTrue(fractionalRule.getMessage().startsWith("not a whole number: '0.5'"), fractionalRule.getMessage());
    }

    @Test
    void warningsAndInfosAreKept() throws IOException {
        RangeQueryResponseParser.Response plain = parse(MATRIX);
        assertEquals(List.of("w"), plain.warnings);
        assertEquals(List.of(), plain.infos);
        RangeQueryResponseParser.Response both = parse("{\"status\":\"success\",\"warnings\":[\"store a down\","
                + "\"PromQL warning: x\"],\"data\":{\"result\":[]},\"infos\":[\"PromQL info: y\"]}");
        assertEquals(List.of("store a down", "PromQL warning: x"), both.warnings);
        assertEquals(List.of("PromQL info: y"), both.infos);
        RangeQueryResponseParser.Response none =
                parse("{\"status\":\"success\",\"warnings\":null,\"data\":" + "{\"result\":[]}}");
        assertEquals(List.of(), none.warnings);
    }

    @Test
    void truncatedBodiesAreErrorsNotShortResults() {
        String cut = MATRIX.substring(0, MATRIX.indexOf("[1672531245"));
        assertThrows(IOException.class, () -> parse(cut));
        assertThrows(IOException.class, () -> parse(MATRIX + "{}"));
        assertThrows(IOException.class, () -> parse("<html>bad gateway</html>"));
        String cutHistogram = HISTOGRAMS.substring(0, HISTOGRAMS.indexOf("[0,\"1.957"));
        assertThrows(IOException.class, () -> parse(cutHistogram));
    }
}
