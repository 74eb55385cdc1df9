package io.tributary.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one sample of the shared test session's plugin {@code /metrics} endpoint. Executors push their metrics to
 * the driver asynchronously (after each task), so {@link #await} polls until the value arrives.
 */
public final class PluginMetricsScrape {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private PluginMetricsScrape() {}

    /**
     * The value of the sample of {@code metric} that the local executor ("driver") reported with exactly the given
     * extra labels (written as in the exposition format, e.g. {@code fetch_mode="csv"}), or 0 if there is none yet.
     */
    public static double value(String metric, String labels) throws Exception {
        String body = HTTP.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + SparkTestSession.metricsPort() + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        // The driver appends the executor_id label to the executor's own labels.
        String labelSet = (labels.isEmpty() ? "" : labels + ",") + "executor_id=\"driver\"";
        Matcher matcher = Pattern.compile(
                        "^" + Pattern.quote(metric + "{" + labelSet) + ",?\\} (\\S+)$", Pattern.MULTILINE)
                .matcher(body);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /**
     * Polls {@link #value} for up to 30 s until it equals {@code expected}, and returns it.
     *
     * @throws AssertionError naming the metric, labels and value when it did not arrive
     */
    public static double await(String metric, String labels, double expected) throws Exception {
        return Await.value(
                metric + "{" + labels + "} = " + expected + " at the driver's /metrics", Duration.ofSeconds(30), () -> {
                    double seen = value(metric, labels);
                    return seen == expected ? Optional.of(seen) : Optional.empty();
                });
    }
}
