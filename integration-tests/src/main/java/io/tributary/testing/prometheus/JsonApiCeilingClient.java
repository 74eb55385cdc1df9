package io.tributary.testing.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * The JSON API's own ceiling for benchmarks: fires {@code GET /api/v1/query_range} requests from a fixed pool of
 * threads with a plain {@link HttpClient}, stream-parses every response with Jackson and discards the samples.
 * No Spark, no rows, no files; a connector reading the same requests cannot be faster than this by much.
 *
 * <p>Example: {@code new JsonApiCeilingClient(prometheus.url(), 8).run(RangeQuery.metricByDay(metrics, start,
 * end, Duration.ofSeconds(15)))}. From the command line ({@code main}):
 * {@code --url http://127.0.0.1:9090 --metrics a,b --start 2023-01-01T00:00:00Z --end 2023-01-04T00:00:00Z
 * --step 15 [--threads 64]} prints one JSON line.
 */
public final class JsonApiCeilingClient {
    private final String baseUrl;
    private final int threads;
    private final HttpClient client;

    /** The outcome of {@link #run}: totals over all requests, and the wall time from first send to last byte. */
    public record Result(int requests, long series, long samples, long bytes, double seconds) {
        public String toJson() {
            return String.format(
                    Locale.ROOT,
                    "{\"requests\": %d, \"series\": %d, \"samples\": %d, \"bytes\": %d, \"seconds\": %.3f}",
                    requests,
                    series,
                    samples,
                    bytes,
                    seconds);
        }
    }

    public JsonApiCeilingClient(String baseUrl, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI.create(this.baseUrl);
        this.threads = threads;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Runs every query, {@code threads} at a time; fails on the first error with Prometheus' message. */
    public Result run(List<RangeQuery> queries) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long startNanos = System.nanoTime();
            List<Future<long[]>> futures = new ArrayList<>();
            for (RangeQuery query : queries) {
                futures.add(pool.submit(() -> fetch(query)));
            }
            long series = 0;
            long samples = 0;
            long bytes = 0;
            for (Future<long[]> future : futures) {
                long[] counts = future.get();
                series += counts[0];
                samples += counts[1];
                bytes += counts[2];
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            return new Result(queries.size(), series, samples, bytes, seconds);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("query_range request failed", cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private long[] fetch(RangeQuery query) throws IOException, InterruptedException {
        URI uri = URI.create(baseUrl + "/api/v1/query_range?" + query.encodedParameters());
        HttpResponse<InputStream> response =
                client.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        try (BoundedInputStream body =
                BoundedInputStream.builder().setInputStream(response.body()).get()) {
            QueryRangeSampleCounter.Counts counts;
            try {
                counts = QueryRangeSampleCounter.count(body);
            } catch (IOException e) {
                throw new IOException("GET " + uri + " (HTTP " + response.statusCode() + "): " + e.getMessage(), e);
            }
            body.transferTo(OutputStream.nullOutputStream());
            return new long[] {counts.series(), counts.samples(), body.getCount()};
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parseArgs(args);
        List<String> metrics = Arrays.stream(required(options, "metrics").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
        List<RangeQuery> queries = RangeQuery.metricByDay(
                metrics,
                Instant.parse(required(options, "start")),
                Instant.parse(required(options, "end")),
                Duration.ofMillis(Math.round(Double.parseDouble(required(options, "step")) * 1000)));
        int threads = Integer.parseInt(options.getOrDefault("threads", "64"));
        Result result = new JsonApiCeilingClient(required(options, "url"), threads).run(queries);
        System.out.println(result.toJson());
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("arguments must be --name value pairs (--url --metrics --start --end"
                        + " --step [--threads]), got " + String.join(" ", args));
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(
                    "--" + name + " is required (--url --metrics --start --end --step" + " [--threads])");
        }
        return value;
    }
}
