package io.tributary.prometheus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ApiJsonScannerTest {
    private static final String[] LABEL_TEXTS = {
        "a:9100", "quote\"and\\backslash", "tab\tnew\nline", "größe", "日本", "emoji 😀", "slash/", "", "ctl\u0001"
    };
    private static final String[] SPECIAL_VALUES = {
        "NaN", "+Inf", "-Inf", "0.1", "-2.5e3", "1e+06", "1234567890123456789", "-0", "4.9e-324"
    };

    /** A series as written, and what decoding it must give back. */
    private record Expected(Map<String, String> labels, long[] millis, double[] values) {}

    @Test
    void decodesWhatWasWrittenWhateverTheSpacingEscapingOrChunking() throws IOException {
        Random random = new Random(20261125);
        for (int round = 0; round < 200; round++) {
            List<Expected> expected = new ArrayList<>();
            byte[] body = randomResponse(random, expected).getBytes(StandardCharsets.UTF_8);
            assertDecodes(expected, RangeQueryResponseParser.parse(body, body.length, 1 + random.nextInt(3)));
            assertDecodes(expected, RangeQueryResponseParser.parse(new TrickleStream(body, random), 2));
        }
    }

    @Test
    void everyCutOffBodyIsAnErrorNeverAShorterAnswer() throws IOException {
        Random random = new Random(7);
        List<Expected> expected = new ArrayList<>();
        byte[] body = randomResponse(random, expected).getBytes(StandardCharsets.UTF_8);
        assertDecodes(expected, RangeQueryResponseParser.parse(body, body.length, 4));
        int complete = new String(body, StandardCharsets.ISO_8859_1).lastIndexOf('}') + 1;
        for (int length = 0; length < complete; length++) {
            byte[] cut = java.util.Arrays.copyOf(body, length);
            int at = length;
            assertThrows(
                    IOException.class,
                    () -> RangeQueryResponseParser.parse(new TrickleStream(cut, random), 4),
                    () -> "cut at " + at + " of " + body.length);
        }
    }

    @Test
    void tokensLongerThanTheBufferAreRead() throws IOException {
        String longLabel = "x".repeat(300_000) + "é";
        String json = "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{\"job\":\"" + longLabel
                + "\"},\"values\":[[1672531200,\"" + "1".repeat(70_000) + "\"]]}]}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        RangeQueryResponseParser.Response response = RangeQueryResponseParser.parse(new ByteArrayInputStream(body), 1);
        assertEquals(longLabel, response.series.get(0).labels().get("job"));
        assertEquals(
                Double.parseDouble("1".repeat(70_000)), response.series.get(0).value(0));
    }

    @Test
    void malformedBodiesSayWhatWasWantedAndWhere() {
        IOException notJson = assertThrows(IOException.class, () -> parse("<html>bad gateway</html>"));
        assertEquals("unexpected JSON: wanted '{', found '<' at offset 0", notJson.getMessage());
        IOException badValue = assertThrows(
                IOException.class,
                () -> parse("{\"status\":\"success\",\"data\":"
                        + "{\"result\":[{\"metric\":{},\"values\":[[1,\"12a\"]]}]}}"));
        assertTrue(badValue.getMessage().contains("\"12a\""), badValue.getMessage());
        IOException badTime = assertThrows(
                IOException.class,
                () -> parse("{\"status\":\"success\",\"data\":"
                        + "{\"result\":[{\"metric\":{},\"values\":[[\"1\",\"1\"]]}]}}"));
        assertTrue(badTime.getMessage().contains("not a JSON number"), badTime.getMessage());
        IOException badLiteral = assertThrows(IOException.class, () -> parse("{\"status\":\"success\",\"x\":nul}"));
        assertTrue(badLiteral.getMessage().contains("wanted a JSON value"), badLiteral.getMessage());
        IOException trailing = assertThrows(IOException.class, () -> parse("{\"status\":\"success\"} {}"));
        assertTrue(trailing.getMessage().startsWith("trailing content"), trailing.getMessage());
        IOException deep = assertThrows(
                IOException.class,
                () -> parse("{\"status\":\"success\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}"));
        assertTrue(deep.getMessage().contains("nested deeper"), deep.getMessage());
        byte[] stray = {'{', (byte) 0xFF, '}'};
        IOException strayByte =
                assertThrows(IOException.class, () -> RangeQueryResponseParser.parse(stray, stray.length, 1));
        assertTrue(strayByte.getMessage().startsWith("unexpected JSON: wanted '\"'"), strayByte.getMessage());
        IOException noStatus = assertThrows(IOException.class, () -> parse("{\"data\":null}"));
        assertEquals("no 'status' in the body", noStatus.getMessage());
    }

    @Test
    void timestampsKeepMillisecondsExactly() throws IOException {
        String json = "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":{},\"values\":[[1672531200.001,\"1\"],"
                + "[1672531200.1,\"1\"],[1672531200.12,\"1\"],[-1.5,\"1\"],[0,\"1\"],[1.6725312E9,\"1\"],"
                + "[1672531200.0005,\"1\"]]}]}}";
        SeriesBlock block = parse(json).series.get(0);
        long[] expected = {
            1672531200_001L,
            1672531200_100L,
            1672531200_120L,
            -1500L,
            0L,
            1672531200_000L,
            Math.round(1672531200.0005 * 1000)
        };
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], block.timestampMillis(i), "timestamp " + i);
        }
    }

    private static RangeQueryResponseParser.Response parse(String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return RangeQueryResponseParser.parse(bytes, bytes.length, 2);
    }

    private static void assertDecodes(List<Expected> expected, RangeQueryResponseParser.Response response) {
        assertTrue(response.isSuccess());
        assertEquals(expected.size(), response.series.size());
        for (int s = 0; s < expected.size(); s++) {
            Expected want = expected.get(s);
            SeriesBlock got = response.series.get(s);
            assertEquals(want.labels, got.labels());
            assertEquals(want.millis.length, got.size());
            for (int i = 0; i < want.millis.length; i++) {
                assertEquals(want.millis[i], got.timestampMillis(i), "series " + s + " point " + i);
                assertEquals(
                        Double.doubleToLongBits(want.values[i]),
                        Double.doubleToLongBits(got.value(i)),
                        "series " + s + " point " + i);
            }
        }
    }

    /**
     * A success answer with random series, spacing, escapes, number forms, and envelope fields the parser must
     * skip (a series' own members are never skipped).
     */
    private static String randomResponse(Random random, List<Expected> expected) {
        StringBuilder json = new StringBuilder();
        json.append(ws(random)).append('{').append(ws(random));
        json.append("\"status\"")
                .append(ws(random))
                .append(':')
                .append(ws(random))
                .append("\"success\"");
        json.append(ws(random)).append(',').append(ws(random)).append("\"data\":{");
        json.append("\"resultType\":").append(ws(random)).append("\"matrix\",").append(ws(random));
        if (random.nextBoolean()) {
            json.append("\"unknown\":")
                    .append(unknownValue(random, 3))
                    .append(',')
                    .append(ws(random));
        }
        json.append("\"result\":[");
        int seriesCount = random.nextInt(4);
        for (int s = 0; s < seriesCount; s++) {
            if (s > 0) {
                json.append(ws(random)).append(',').append(ws(random));
            }
            Map<String, String> labels = new LinkedHashMap<>();
            int labelCount = random.nextInt(4);
            for (int l = 0; l < labelCount; l++) {
                labels.put("l" + l, LABEL_TEXTS[random.nextInt(LABEL_TEXTS.length)]);
            }
            int points = random.nextInt(5);
            long[] millis = new long[points];
            double[] values = new double[points];
            StringBuilder samples = new StringBuilder("[");
            for (int i = 0; i < points; i++) {
                if (i > 0) {
                    samples.append(',').append(ws(random));
                }
                String time;
                if (random.nextInt(5) == 0) {
                    double seconds = 1.6725312E9 + random.nextInt(1000) * 0.25;
                    time = Double.toString(seconds);
                    millis[i] = Math.round(Double.parseDouble(time) * 1000);
                } else {
                    millis[i] = 1672531200_000L + random.nextInt(1_000_000);
                    int decimals = random.nextInt(4);
                    time = seconds(millis[i], decimals);
                    millis[i] = millis[i] / 1000 * 1000
                            + (millis[i] % 1000)
                                    / (long) Math.pow(10, 3 - decimals)
                                    * (long) Math.pow(10, 3 - decimals);
                }
                String value = random.nextBoolean()
                        ? Long.toString(random.nextLong() % 1_000_000_000_000L)
                        : SPECIAL_VALUES[random.nextInt(SPECIAL_VALUES.length)];
                values[i] = ApiJsonScanner.parseSampleValue(value);
                samples.append('[')
                        .append(ws(random))
                        .append(time)
                        .append(ws(random))
                        .append(',')
                        .append(ws(random))
                        .append('"')
                        .append(value)
                        .append('"')
                        .append(ws(random))
                        .append(']');
            }
            samples.append(']');
            expected.add(new Expected(labels, millis, values));
            List<String> fields = new ArrayList<>();
            StringBuilder metric = new StringBuilder("{");
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (metric.length() > 1) {
                    metric.append(',').append(ws(random));
                }
                metric.append(escape(label.getKey(), random))
                        .append(':')
                        .append(ws(random))
                        .append(escape(label.getValue(), random));
            }
            metric.append('}');
            fields.add("\"metric\":" + ws(random) + metric);
            fields.add("\"values\":" + ws(random) + samples);
            if (random.nextBoolean()) {
                java.util.Collections.swap(fields, 0, 1);
            }
            json.append('{')
                    .append(ws(random))
                    .append(String.join("," + ws(random), fields))
                    .append(ws(random))
                    .append('}');
        }
        json.append(ws(random)).append("]}");
        if (random.nextBoolean()) {
            json.append(",\"warnings\":[\"w\"],\"stats\":").append(unknownValue(random, 3));
        }
        return json.append(ws(random)).append('}').append(ws(random)).toString();
    }

    private static String seconds(long millis, int decimals) {
        String whole = Long.toString(millis / 1000);
        if (decimals == 0) {
            return whole;
        }
        return whole + "." + String.format("%03d", millis % 1000).substring(0, decimals);
    }

    private static String unknownValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        switch (kind) {
            case 0:
                return escape(LABEL_TEXTS[random.nextInt(LABEL_TEXTS.length)], random);
            case 1:
                return random.nextBoolean() ? "-12.5e-3" : "42";
            case 2:
                return "true";
            case 3:
                return "false";
            case 4:
                return "null";
            case 5: {
                StringBuilder array = new StringBuilder("[");
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.append(unknownValue(random, depth - 1)).append(i > 1 ? "," + ws(random) : "");
                }
                return array.append(ws(random)).append(']').toString();
            }
            default: {
                StringBuilder object = new StringBuilder("{");
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.append("\"k")
                            .append(i)
                            .append("\":")
                            .append(ws(random))
                            .append(unknownValue(random, depth - 1))
                            .append(i > 1 ? "," : "");
                }
                return object.append('}').toString();
            }
        }
    }

    private static String ws(Random random) {
        return random.nextInt(4) == 0 ? " \n\t\r".substring(0, 1 + random.nextInt(4)) : "";
    }

    /** A JSON string literal, escaping randomly in the ways JSON allows (Go escapes <, > and & too). */
    private static String escape(String text, Random random) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append(random.nextBoolean() ? "\\" + c : String.format("\\u%04x", (int) c));
            } else if (c == '\n') {
                out.append(random.nextBoolean() ? "\\n" : "\\u000a");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                char low = text.charAt(++i);
                out.append(random.nextBoolean() ? String.format("\\u%04X\\u%04x", (int) c, (int) low) : "" + c + low);
            } else if (c < 0x20 || (c > 0x7e && random.nextBoolean())) {
                out.append(String.format("\\u%04X", (int) c));
            } else if (c == '/' && random.nextBoolean()) {
                out.append("\\/");
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Hands the body out a few bytes at a time, as a slow network would. */
    private static final class TrickleStream extends InputStream {
        private final byte[] body;
        private final Random random;
        private int position;

        TrickleStream(byte[] body, Random random) {
            this.body = body;
            this.random = random;
        }

        @Override
        public int read() {
            return position < body.length ? body[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position >= body.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(7)), body.length - position);
            System.arraycopy(body, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
