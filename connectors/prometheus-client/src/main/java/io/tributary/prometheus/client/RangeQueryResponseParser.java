package io.tributary.prometheus.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Decodes a {@code /api/v1/query_range} answer straight into primitive arrays, with {@link ApiJsonScanner}:
 * timestamps are JSON numbers in seconds (up to millisecond precision), values are strings, including
 * {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"}. A series carries its float samples under {@code "values"} and
 * its native-histogram points under {@code "histograms"} (a series may have both). The answer's
 * {@code "warnings"} and {@code "infos"} are kept for the caller to judge. Members of the envelope it does not
 * know are skipped; a member of a series or of a histogram it does not know fails the decoding, since skipping
 * it could drop points.
 */
public final class RangeQueryResponseParser {
    /** What a body said: the series, or the server's error, and the notes that came with it. */
    public static final class Response {
        final String status;
        final String errorType;
        final String error;
        final List<SeriesBlock> series;
        /** Texts of the {@code "warnings"} member: a partial answer (Thanos, Mimir) or PromQL annotations. */
        final List<String> warnings;
        /** Texts of the {@code "infos"} member (PromQL info annotations of newer Prometheus versions). */
        final List<String> infos;

        public Response(
                String status,
                String errorType,
                String error,
                List<SeriesBlock> series,
                List<String> warnings,
                List<String> infos) {
            this.status = status;
            this.errorType = errorType;
            this.error = error;
            this.series = series;
            this.warnings = warnings;
            this.infos = infos;
        }

        boolean isSuccess() {
            return "success".equals(status);
        }

        public List<SeriesBlock> series() {
            return series;
        }

        public List<String> warnings() {
            return warnings;
        }

        public List<String> infos() {
            return infos;
        }

        /** Points of every series, float samples and histograms alike. */
        public long sampleCount() {
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
     * @throws PrometheusAnswerException if a series or histogram has a member this decoder does not know, or lacks
     *     one it needs
     */
    static Response parse(byte[] body, int length, int expectedPoints) throws IOException {
        return parse(new ApiJsonScanner(body, length), expectedPoints);
    }

    /**
     * Decodes while the body is still arriving, so that the server's encoding and this decoding overlap. The
     * caller hands out nothing until this returns: a body cut off midway is an {@link IOException}, never a
     * shorter answer.
     */
    public static Response parse(InputStream body, int expectedPoints) throws IOException {
        return parse(new ApiJsonScanner(body), expectedPoints);
    }

    private static Response parse(ApiJsonScanner json, int expectedPoints) throws IOException {
        ResponseReader reader = new ResponseReader(json, expectedPoints);
        json.readObject(reader::readMember);
        json.expectEnd();
        if (reader.status == null) {
            throw new IOException("no 'status' in the body");
        }
        return new Response(
                reader.status, reader.errorType, reader.error, reader.series, reader.warnings, reader.infos);
    }

    /** The members of a response as they are read; fields it does not know are skipped. */
    private static final class ResponseReader {
        private final ApiJsonScanner json;
        private final int expectedPoints;
        private final List<SeriesBlock> series = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private final List<String> infos = new ArrayList<>();
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
                case "warnings" -> readStrings(warnings);
                case "infos" -> readStrings(infos);
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

        private void readStrings(List<String> into) throws IOException {
            if (!json.consumeNull()) {
                json.readArray(() -> into.add(json.readString()));
            }
        }

        private void readDataMember(String name) throws IOException {
            if (name.equals("result")) {
                json.readArray(() -> series.add(new SeriesReader(json, expectedPoints).read()));
            } else {
                json.skipValue();
            }
        }
    }

    /**
     * One {@code {"metric": {...}, "values": [[t, "v"], ...], "histograms": [[t, {...}], ...]}} object, into
     * primitive arrays.
     */
    private static final class SeriesReader {
        private final ApiJsonScanner json;
        private Map<String, String> labels = Map.of();
        private long[] timestamps;
        private double[] values;
        private int size;
        private long[] histogramTimestamps = new long[0];
        private NativeHistogram[] histograms = new NativeHistogram[0];
        private int histogramCount;
        private final HistogramReader histogramReader;

        SeriesReader(ApiJsonScanner json, int expectedPoints) {
            this.json = json;
            this.timestamps = new long[Math.max(expectedPoints, 1)];
            this.values = new double[timestamps.length];
            this.histogramReader = new HistogramReader(json, this::describe);
        }

        SeriesBlock read() throws IOException {
            json.readObject(this::readMember);
            if (histogramCount == 0) {
                return new SeriesBlock(labels, timestamps, values, size);
            }
            return mergedByTime();
        }

        private void readMember(String name) throws IOException {
            switch (name) {
                case "metric" -> {
                    Map<String, String> read = new LinkedHashMap<>();
                    json.readObject(label -> read.put(label, json.readString()));
                    labels = read;
                }
                case "values" -> json.readArray(this::readSample);
                case "histograms" -> json.readArray(this::readHistogramPoint);
                default ->
                    throw new PrometheusAnswerException("unknown member '" + name + "' in " + describe()
                            + " of the answer; this reader knows 'metric', 'values' and 'histograms', and fails rather than"
                            + " skip what may hold points");
            }
        }

        private String describe() {
            return labels.isEmpty() ? "a series" : "series " + labels;
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

        private void readHistogramPoint() throws IOException {
            if (histogramCount == histograms.length) {
                int grown = Math.max(16, histogramCount * 2);
                histogramTimestamps = Arrays.copyOf(histogramTimestamps, grown);
                histograms = Arrays.copyOf(histograms, grown);
            }
            json.expect('[');
            histogramTimestamps[histogramCount] = json.readSecondsAsMillis();
            json.expect(',');
            histograms[histogramCount] = histogramReader.read();
            json.expect(']');
            histogramCount++;
        }

        /** Prometheus writes a series' float samples, then its histograms, each in time order: one merge. */
        private SeriesBlock mergedByTime() {
            int total = size + histogramCount;
            long[] mergedTimes = new long[total];
            double[] mergedValues = new double[total];
            NativeHistogram[] mergedHistograms = new NativeHistogram[total];
            int f = 0;
            int h = 0;
            for (int i = 0; i < total; i++) {
                if (h == histogramCount || (f < size && timestamps[f] <= histogramTimestamps[h])) {
                    mergedTimes[i] = timestamps[f];
                    mergedValues[i] = values[f++];
                } else {
                    mergedTimes[i] = histogramTimestamps[h];
                    mergedHistograms[i] = histograms[h++];
                }
            }
            return new SeriesBlock(labels, mergedTimes, mergedValues, mergedHistograms, total);
        }
    }

    /**
     * One {@code {"count": "c", "sum": "s", "buckets": [[rule, "lower", "upper", "count"], ...]}} object, reusing
     * its bucket arrays from one histogram to the next.
     */
    private static final class HistogramReader {
        private final ApiJsonScanner json;
        private final Supplier<String> series;
        private int[] rules = new int[8];
        private double[] lowers = new double[8];
        private double[] uppers = new double[8];
        private double[] counts = new double[8];
        private int buckets;
        private double count;
        private double sum;
        private boolean countSeen;
        private boolean sumSeen;

        HistogramReader(ApiJsonScanner json, Supplier<String> series) {
            this.json = json;
            this.series = series;
        }

        NativeHistogram read() throws IOException {
            buckets = 0;
            countSeen = false;
            sumSeen = false;
            json.readObject(this::readMember);
            if (!countSeen || !sumSeen) {
                throw new PrometheusAnswerException("a histogram of " + series.get() + " in the answer has no '"
                        + (countSeen ? "sum" : "count") + "'");
            }
            return new NativeHistogram(count, sum, rules, lowers, uppers, counts, buckets);
        }

        private void readMember(String name) throws IOException {
            switch (name) {
                case "count" -> {
                    count = json.readSampleValue();
                    countSeen = true;
                }
                case "sum" -> {
                    sum = json.readSampleValue();
                    sumSeen = true;
                }
                case "buckets" -> {
                    if (!json.consumeNull()) {
                        json.readArray(this::readBucket);
                    }
                }
                default ->
                    throw new PrometheusAnswerException("unknown member '" + name + "' in a histogram of "
                            + series.get()
                            + " of the answer; this reader knows 'count', 'sum' and 'buckets', and fails rather"
                            + " than skip part of a histogram");
            }
        }

        private void readBucket() throws IOException {
            if (buckets == counts.length) {
                rules = Arrays.copyOf(rules, buckets * 2);
                lowers = Arrays.copyOf(lowers, buckets * 2);
                uppers = Arrays.copyOf(uppers, buckets * 2);
                counts = Arrays.copyOf(counts, buckets * 2);
            }
            json.expect('[');
            long rule = json.readWholeNumber();
            if (!NativeHistogram.isBoundaryRule(rule)) {
                throw new PrometheusAnswerException(
                        "a histogram bucket of " + series.get() + " has boundary rule " + rule
                                + "; Prometheus' rules are 0 (open left), 1 (open right), 2 (open both) and 3 (closed both)");
            }
            rules[buckets] = (int) rule;
            json.expect(',');
            lowers[buckets] = json.readSampleValue();
            json.expect(',');
            uppers[buckets] = json.readSampleValue();
            json.expect(',');
            counts[buckets] = json.readSampleValue();
            json.expect(']');
            buckets++;
        }
    }
}
