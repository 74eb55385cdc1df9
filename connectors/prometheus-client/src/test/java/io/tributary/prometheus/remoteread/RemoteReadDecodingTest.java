package io.tributary.prometheus.remoteread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.prometheus.client.SeriesBlock;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * The remote-read decoders against answers captured from a real Prometheus 2.42 (see
 * {@code src/test/resources/io/tributary/prometheus/remote-read/README.md}): every decoded sample must equal,
 * timestamp and value bits, the OpenMetrics line it was backfilled from.
 */
class RemoteReadDecodingTest {
    private static final String DIR = "/io/tributary/prometheus/remote-read/";
    private static final Pattern OM_LINE = Pattern.compile("(\\w+)\\{instance=\"(\\w+)\"\\} (\\S+) (\\S+)");
    /** Go's strconv.ParseFloat("NaN"): Prometheus' ordinary NaN, distinct from its staleness marker. */
    private static final long PROMETHEUS_NORMAL_NAN_BITS = 0x7ff8000000000001L;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = RemoteReadDecodingTest.class.getResourceAsStream(DIR + name)) {
            return in.readAllBytes();
        }
    }

    /** series ("name{instance}") → "timestampMillis=valueBits" per sample, in order, from the OpenMetrics source. */
    private static Map<String, List<String>> expected(long from, long to) throws IOException {
        Map<String, List<String>> series = new TreeMap<>();
        for (String line : new String(resource("capture.om"), StandardCharsets.UTF_8).split("\n")) {
            Matcher m = OM_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            long millis = new BigDecimal(m.group(4)).movePointRight(3).longValueExact();
            if (millis < from || millis > to) {
                continue;
            }
            long bits = m.group(3).equals("NaN")
                    ? PROMETHEUS_NORMAL_NAN_BITS
                    : Double.doubleToRawLongBits(parseOpenMetrics(m.group(3)));
            series.computeIfAbsent(m.group(1) + "{" + m.group(2) + "}", k -> new ArrayList<>())
                    .add(millis + "=" + bits);
        }
        return series;
    }

    private static double parseOpenMetrics(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(text);
        }
    }

    /** The same shape from decoded blocks; blocks of one series (split over frames) are concatenated. */
    private static Map<String, List<String>> actual(List<SeriesBlock> blocks) {
        Map<String, List<String>> series = new TreeMap<>();
        for (SeriesBlock block : blocks) {
            assertEquals(
                    List.of("__name__", "instance"),
                    new ArrayList<>(block.labels().keySet()));
            String key = block.labels().get("__name__") + "{" + block.labels().get("instance") + "}";
            List<String> samples = series.computeIfAbsent(key, k -> new ArrayList<>());
            for (int i = 0; i < block.size(); i++) {
                samples.add(block.timestampMillis(i) + "=" + Double.doubleToRawLongBits(block.value(i)));
            }
        }
        return series;
    }

    private static List<SeriesBlock> decodeStreamed(byte[] body, long from, long to) throws IOException {
        StreamedFrameReader frames = new StreamedFrameReader(new ByteArrayInputStream(body));
        ChunkedReadResponseDecoder decoder = new ChunkedReadResponseDecoder(new RawSeriesCollector(from, to));
        List<SeriesBlock> blocks = new ArrayList<>();
        while (frames.next()) {
            decoder.decode(frames.frame(), frames.length(), blocks);
        }
        return blocks;
    }

    @Test
    void streamedXorChunksDecodeToTheExactSamplesWritten() throws IOException {
        Map<String, List<String>> expected = expected(Long.MIN_VALUE, Long.MAX_VALUE);
        assertEquals(
                List.of(400, 400, 300),
                expected.values().stream().map(List::size).toList());
        assertEquals(expected, actual(decodeStreamed(resource("streamed.bin"), Long.MIN_VALUE, Long.MAX_VALUE)));
    }

    @Test
    void samplesOutsideTheRequestedRangeAreDropped() throws IOException {
        // Mid-chunk bounds, both included: chunks carry samples on either side.
        long from = 1672531200000L + 3_600_000L + 1;
        long to = 1672531200000L + 5 * 3_600_000L - 1;
        Map<String, List<String>> expected = expected(from, to);
        Map<String, List<String>> actual = actual(decodeStreamed(resource("streamed.bin"), from, to));
        assertEquals(expected, actual);
        long atBounds = expected(1672531214831L, 1672531214831L).values().stream()
                .mapToLong(List::size)
                .sum();
        assertEquals(1, atBounds, "the first sample of series a alone");
        assertEquals(
                expected(1672531214831L, 1672531214831L),
                actual(decodeStreamed(resource("streamed.bin"), 1672531214831L, 1672531214831L)),
                "both ends included");
    }

    @Test
    void samplesResponseDecodesToTheSameSamplesExceptTheSignOfZero() throws IOException {
        List<SeriesBlock> blocks = new ArrayList<>();
        SamplesReadResponseDecoder.decode(
                Snappy.uncompress(resource("samples.bin")),
                new RawSeriesCollector(Long.MIN_VALUE, Long.MAX_VALUE),
                blocks);
        // proto3 leaves out a field whose value equals zero, and Go's -0.0 == 0: the server sends no value for -0.0,
        // which reads back as +0.0. XOR chunks carry the bits themselves and keep the sign.
        String negativeZero = "=" + Double.doubleToRawLongBits(-0.0);
        Map<String, List<String>> expected = new TreeMap<>();
        expected(Long.MIN_VALUE, Long.MAX_VALUE)
                .forEach((series, samples) -> expected.put(
                        series,
                        samples.stream()
                                .map(sample -> sample.replace(negativeZero, "=0"))
                                .toList()));
        assertTrue(expected.get("capture_gauge{a}").stream()
                        .filter(s -> s.endsWith("=0"))
                        .count()
                > 20);
        assertEquals(expected, actual(blocks));
    }

    @Test
    void staleMarkersAreDroppedButOrdinaryNanKept() {
        RawSeriesCollector collector = new RawSeriesCollector(0, 100);
        collector.add(10, 1.5);
        collector.add(20, Double.longBitsToDouble(RawSeriesCollector.STALE_NAN_BITS));
        collector.add(30, Double.longBitsToDouble(PROMETHEUS_NORMAL_NAN_BITS));
        collector.add(101, 2.0);
        List<SeriesBlock> out = new ArrayList<>();
        collector.flushInto(Map.of("__name__", "m"), out);
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).size());
        assertEquals(30, out.get(0).timestampMillis(1));
        assertEquals(
                PROMETHEUS_NORMAL_NAN_BITS,
                Double.doubleToRawLongBits(out.get(0).value(1)));
        collector.flushInto(Map.of("__name__", "m"), out);
        assertEquals(1, out.size(), "an empty series adds no block");
    }

    @Test
    void anAnswerBeyondTheSamplesBudgetStopsDecoding() throws IOException {
        StreamedFrameReader frames = new StreamedFrameReader(new ByteArrayInputStream(resource("streamed.bin")));
        ChunkedReadResponseDecoder decoder =
                new ChunkedReadResponseDecoder(new RawSeriesCollector(Long.MIN_VALUE, Long.MAX_VALUE, 1099));
        List<SeriesBlock> blocks = new ArrayList<>();
        RawSeriesCollector.TooManySamplesException error =
                assertThrows(RawSeriesCollector.TooManySamplesException.class, () -> {
                    while (frames.next()) {
                        decoder.decode(frames.frame(), frames.length(), blocks);
                    }
                });
        assertEquals("a remote-read answer holds more than 1099 samples", error.getMessage());
        assertEquals(
                1100,
                actual(decodeStreamed(resource("streamed.bin"), Long.MIN_VALUE, Long.MAX_VALUE)).values().stream()
                        .mapToInt(List::size)
                        .sum(),
                "1100 samples in all: the budget of 1099 is one short");
    }

    @Test
    void aStreamCutAnywhereFailsInsteadOfEndingEarly() throws IOException {
        byte[] body = resource("streamed.bin");
        List<Integer> frameEnds = frameEnds(body);
        assertEquals(3, frameEnds.size());
        for (int cut = 1; cut < body.length; cut++) {
            byte[] truncated = Arrays.copyOf(body, cut);
            if (frameEnds.contains(cut)) {
                // A cut between frames reads as a shorter, well-formed stream: the HTTP layer (Content-Length or the
                // chunked terminator) is what tells this apart, and the JDK client reports it as an IOException.
                continue;
            }
            assertThrows(
                    EOFException.class,
                    () -> decodeStreamed(truncated, Long.MIN_VALUE, Long.MAX_VALUE),
                    "cut at byte " + cut);
        }
    }

    private static List<Integer> frameEnds(byte[] body) throws IOException {
        List<Integer> ends = new ArrayList<>();
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        StreamedFrameReader frames = new StreamedFrameReader(in);
        while (frames.next()) {
            ends.add(body.length - in.available());
        }
        return ends;
    }

    @Test
    void aCorruptedFrameFailsItsChecksum() throws IOException {
        byte[] body = resource("streamed.bin");
        body[body.length / 2] ^= 0x10;
        IOException error = assertThrows(IOException.class, () -> decodeStreamed(body, Long.MIN_VALUE, Long.MAX_VALUE));
        assertTrue(error.getMessage().contains("CRC32C"), error.getMessage());
    }

    @Test
    void anEmptyStreamHasNoFrames() throws IOException {
        assertFalse(new StreamedFrameReader(new ByteArrayInputStream(new byte[0])).next());
    }

    @Test
    void requestCarriesRangeMatchersAndStreamingFirst() throws IOException {
        List<List<RemoteReadMatcher>> queries = List.of(List.of(
                new RemoteReadMatcher("__name__", RemoteReadMatcher.Op.EQ, "up"),
                new RemoteReadMatcher("job", RemoteReadMatcher.Op.NRE, "a|b")));
        byte[] encoded = RemoteReadRequestEncoder.encode(queries, 1000, 1999);
        byte[] message = Snappy.uncompress(encoded);
        assertTrue(Arrays.equals(RemoteReadRequestEncoder.protobuf(queries, 1000, 1999), message));
        // ReadRequest{queries=[Query{start=1000 (field 1), end=1999 (2), matchers (3): EQ __name__ up, NRE job a|b}],
        //             accepted_response_types=[1, 0]}: the wire bytes spelled out field by field.
        byte[] eq = concat(new byte[] {0x08, 0x00, 0x12, 8}, ascii("__name__"), new byte[] {0x1a, 2}, ascii("up"));
        byte[] nre = concat(new byte[] {0x08, 0x03, 0x12, 3}, ascii("job"), new byte[] {0x1a, 3}, ascii("a|b"));
        byte[] query = concat(
                new byte[] {0x08, (byte) 0xe8, 0x07, 0x10, (byte) 0xcf, 0x0f},
                new byte[] {0x1a, (byte) eq.length},
                eq,
                new byte[] {0x1a, (byte) nre.length},
                nre);
        byte[] expected = concat(new byte[] {0x0a, (byte) query.length}, query, new byte[] {0x10, 0x01, 0x10, 0x00});
        assertEquals(Arrays.toString(expected), Arrays.toString(message));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
