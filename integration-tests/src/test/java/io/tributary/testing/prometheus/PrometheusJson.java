package io.tributary.testing.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Asks a Prometheus server's own HTTP API, for tests that check what the server holds. */
public final class PrometheusJson {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A series of a range-query answer: labels including {@code __name__}, and its points. */
    public record SeriesPoints(Map<String, String> labels, List<Point> points) {}

    /** One point as the API sends it: time in seconds (a number) and the value as text. */
    public record Point(double seconds, String value) {}

    private PrometheusJson() {}

    public static List<SeriesPoints> queryRange(String url, String query, Instant start, Instant end, Duration step)
            throws IOException, InterruptedException {
        JsonNode data = get(url + "/api/v1/query_range?" + new RangeQuery(query, start, end, step).encodedParameters());
        assertEquals("matrix", data.get("resultType").asText());
        return series(data.get("result"), "values");
    }

    /** The {@code data.result} array of a range query's answer as it came, series with values or histograms. */
    public static JsonNode queryRangeResult(String url, String query, Instant start, Instant end, Duration step)
            throws IOException, InterruptedException {
        JsonNode data = get(url + "/api/v1/query_range?" + new RangeQuery(query, start, end, step).encodedParameters());
        assertEquals("matrix", data.get("resultType").asText());
        return data.get("result");
    }

    /**
     * The raw samples that {@code selector[window]} evaluated at {@code time} returns: in Prometheus 2.x every
     * sample with {@code time - window <= timestamp <= time}, without staleness markers.
     */
    public static List<SeriesPoints> rangeSelector(String url, String selector, Duration window, Instant time)
            throws IOException, InterruptedException {
        JsonNode data = get(url + "/api/v1/query?query="
                + URLEncoder.encode(selector + "[" + window.toMillis() + "ms]", StandardCharsets.UTF_8) + "&time="
                + PrometheusTime.seconds(time));
        assertEquals("matrix", data.get("resultType").asText());
        return series(data.get("result"), "values");
    }

    public static List<SeriesPoints> instantQuery(String url, String query, Instant time)
            throws IOException, InterruptedException {
        JsonNode data = get(url + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time="
                + PrometheusTime.seconds(time));
        return series(data.get("result"), "value");
    }

    /** GETs a JSON API path and returns its {@code data}, failing on anything but a success answer. */
    static JsonNode get(String uri) throws IOException, InterruptedException {
        HttpResponse<String> response =
                HTTP.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode root = MAPPER.readTree(response.body());
        assertEquals("success", root.get("status").asText(), response.body());
        return root.get("data");
    }

    private static List<SeriesPoints> series(JsonNode result, String valuesField) {
        List<SeriesPoints> all = new ArrayList<>();
        for (JsonNode series : result) {
            Map<String, String> labels = new LinkedHashMap<>();
            series.get("metric")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<Point> points = new ArrayList<>();
            JsonNode values = series.get(valuesField);
            if (values.get(0).isArray()) {
                values.forEach(
                        p -> points.add(new Point(p.get(0).asDouble(), p.get(1).asText())));
            } else {
                points.add(new Point(values.get(0).asDouble(), values.get(1).asText()));
            }
            all.add(new SeriesPoints(labels, points));
        }
        return all;
    }

    /** The API's text for a value: integers without a decimal point, and NaN, +Inf, -Inf. */
    static String apiText(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Long.toString((long) value);
    }
}
