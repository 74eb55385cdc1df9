package io.tributary.bench.trino;

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
import java.util.Locale;

/**
 * Prometheus' own count of the stored samples of a metric, the reference both engines' counts must equal:
 * {@code sum(count_over_time(METRIC[range]))} evaluated at the last sample's time, with the range reaching just
 * before the first sample (Prometheus 2 range selectors include both ends).
 */
final class PrometheusSampleCount {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PrometheusSampleCount() {}

    /** The PromQL that counts the samples of {@code metric} from {@code first} to {@code last}, both included. */
    static String query(String metric, Instant first, Instant last) {
        // The range ends at the evaluation time and reaches back (last - first) ms; the samples at first and last are
        // both inside, and no older sample of this history exists.
        return "sum(count_over_time(" + metric + "["
                + Duration.between(first, last).toMillis() + "ms]))";
    }

    /** Asks the server at {@code url} for {@link #query}; fails if the answer is not one number. */
    static long of(String url, String metric, Instant first, Instant last) throws IOException, InterruptedException {
        String query = query(metric, first, last);
        long time = last.toEpochMilli();
        URI uri = URI.create(url + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&time="
                + String.format(Locale.ROOT, "%d.%03d", time / 1000, time % 1000));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofMinutes(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        JsonNode result = JSON.readTree(response.body()).path("data").path("result");
        if (response.statusCode() != 200 || result.size() != 1) {
            throw new IllegalStateException(
                    "Prometheus answered " + query + " with HTTP " + response.statusCode() + ": " + response.body());
        }
        return Long.parseLong(result.get(0).path("value").get(1).asText());
    }
}
