package io.tributary.prometheus.client;

import io.prometheus.client.Histogram;
import io.tributary.retry.Backoff;
import io.tributary.secrets.SecretText;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Calls {@code /api/v1/query_range} and {@code /api/v1/read}, retrying what can succeed on a second try (connection errors, cut-off,
 * stalled or malformed bodies, 5xx, 429 with its Retry-After) and failing at once on what cannot (400, 422, other 4xx, a redirect
 * to another origin). The {@code timeout} option bounds each attempt's whole answer ({@link AnswerDeadline}).
 * A response is decoded whole (while it streams in) before any of it is handed out, so a retry can never duplicate or drop
 * samples.
 */
public final class PrometheusHttpClient {
    private static final int MAX_ERROR_BODY_CHARS = 500;
    /** A token file is a few kB at most; reading a huge or endless file (a device) is a mistake, not a token. */
    private static final int MAX_TOKEN_FILE_BYTES = 64 * 1024;
    /** Redirects followed within the origin of {@code url} before the request fails. */
    static final int MAX_REDIRECTS = 5;
    /** No backoff delay between attempts is longer. */
    public static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);
    /** A Retry-After beyond this is not waited for: the task fails rather than sleeping for hours. */
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

    private final PrometheusConnection connection;
    private final HttpClient http;
    private final Backoff backoff;
    private final PrometheusReadCounters counters;
    private final String authorization;

    public PrometheusHttpClient(PrometheusConnection connection, PrometheusReadCounters counters) {
        this.connection = connection;
        this.http = HttpClientCache.forConnection(connection);
        this.backoff = backoff(connection.retryInitialDelay());
        this.counters = counters;
        this.authorization = authorizationHeader(connection);
    }

    /** Exponential from {@code retryInitialDelay} up to 30 s, jittered, and Retry-After honoured up to 5 minutes. */
    static Backoff backoff(Duration initialDelay) {
        return Backoff.doubling(initialDelay, MAX_RETRY_DELAY).withJitter().honouringRetryAfter(MAX_RETRY_AFTER);
    }

    private static String authorizationHeader(PrometheusConnection connection) {
        if (connection.user() != null) {
            String pair = connection.user() + ":" + connection.password();
            return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        }
        if (connection.bearerToken() != null) {
            return "Bearer " + connection.bearerToken();
        }
        if (connection.bearerTokenFile() != null) {
            // Read on every reader start, so that rotated tokens (e.g. Kubernetes service accounts) are picked up.
            String token = readTokenFile(connection.bearerTokenFile());
            SecretText.requireToken(
                    "The content of the file named by option '" + PrometheusConnection.BEARER_TOKEN_FILE + "' ("
                            + connection.bearerTokenFile() + ", trimmed)",
                    token);
            return "Bearer " + token;
        }
        return null;
    }

    private static String readTokenFile(String file) {
        byte[] content;
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            content = in.readNBytes(MAX_TOKEN_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Option '" + PrometheusConnection.BEARER_TOKEN_FILE + "' names a file that cannot be read: " + file
                            + " (" + e.getClass().getName() + ")",
                    e);
        }
        if (content.length > MAX_TOKEN_FILE_BYTES) {
            throw new IllegalArgumentException("Option '" + PrometheusConnection.BEARER_TOKEN_FILE + "' names a file"
                    + " larger than " + MAX_TOKEN_FILE_BYTES + " bytes (" + file + "); it must hold one bearer token");
        }
        return new String(content, StandardCharsets.UTF_8).trim();
    }

    /** Evaluates a range query at {@code start, start+step, ..., <= end} (milliseconds, both ends included). */
    public RangeQueryResponseParser.Response queryRange(
            String query, long startMillis, long endMillis, long stepMillis) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("query", query);
        params.put("start", seconds(startMillis));
        params.put("end", seconds(endMillis));
        params.put("step", seconds(stepMillis));
        params.put("timeout", seconds(connection.timeout().toMillis()));
        URI uri = endpoint("/api/v1/query_range", params);
        String description = "query_range " + query + " [" + seconds(startMillis) + ", " + seconds(endMillis)
                + "] step " + seconds(stepMillis) + "s at " + connection.displayUrl();
        int expectedPoints = (int) Math.min(Integer.MAX_VALUE, (endMillis - startMillis) / stepMillis + 1);
        return send(uri, description, expectedPoints);
    }

    /** Decodes a 200 answer's body; an IOException means cut off or malformed, and is retried. */
    public interface SuccessBodyReader<T> {
        T read(HttpResponse<InputStream> response, InputStream body) throws IOException;
    }

    private RangeQueryResponseParser.Response send(URI uri, String description, int expectedPoints) {
        return send(buildRequest(uri), description, (response, body) -> {
            RangeQueryResponseParser.Response parsed = RangeQueryResponseParser.parse(body, expectedPoints);
            if (!parsed.isSuccess()) {
                throw new PrometheusQueryException(
                        response.statusCode(), parsed.errorType, String.valueOf(parsed.error), description);
            }
            return parsed;
        });
    }

    /**
     * POSTs a remote-read request ({@code /api/v1/read}, snappy-compressed protobuf) and decodes the answer with
     * {@code reader}, under the same retry rules as range queries.
     */
    public <T> T remoteRead(byte[] compressedRequest, String description, SuccessBodyReader<T> reader) {
        URI uri = endpoint("/api/v1/read", Map.of());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Encoding", "snappy")
                .header("X-Prometheus-Remote-Read-Version", "0.1.0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(compressedRequest));
        return send(withCommonHeaders(builder), description, reader);
    }

    private <T> T send(HttpRequest request, String description, SuccessBodyReader<T> reader) {
        Exception lastFailure = null;
        String lastFailureText = null;
        for (int attempt = 0; ; attempt++) {
            String retryAfter = null;
            try {
                Histogram.Timer timer = PrometheusClientMetrics.LATENCY.startTimer();
                AnswerDeadline deadline = new AnswerDeadline(connection.timeout());
                HttpResponse<InputStream> response = exchange(request, deadline, description);
                int status = response.statusCode();
                // Unbounded: only counts the bytes, for the "bytes received" metric of a streamed answer.
                try (BoundedInputStream body = BoundedInputStream.builder()
                                .setInputStream(response.body())
                                .get();
                        AnswerDeadline.Watch watch = deadline.watch(response.body())) {
                    try {
                        if (status == 200) {
                            T parsed = reader.read(response, body);
                            timer.observeDuration();
                            return parsed;
                        }
                        byte[] bytes = body.readAllBytes();
                        if (status != 429 && status < 500) {
                            throw rejected(status, bytes, description);
                        }
                        retryAfter =
                                response.headers().firstValue("Retry-After").orElse(null);
                        lastFailureText = "HTTP " + status + ": " + excerpt(bytes);
                        lastFailure = new IOException(lastFailureText);
                    } catch (IOException e) {
                        throw watch.explain(e, body.getCount());
                    } finally {
                        counters.bytesReceived += body.getCount();
                    }
                }
            } catch (IOException e) {
                lastFailure = e;
                lastFailureText = describe(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PrometheusUnavailableException("Interrupted while reading " + description, e);
            }
            if (attempt >= connection.maxRetries()) {
                throw new PrometheusUnavailableException(
                        "Prometheus could not be read after " + (attempt + 1)
                                + " attempts (" + PrometheusConnection.MAX_RETRIES + "=" + connection.maxRetries()
                                + "): "
                                + description + "; last failure: " + lastFailureText,
                        lastFailure);
            }
            counters.retries++;
            sleep(backoff.delay(attempt, retryAfter), description);
        }
    }

    /**
     * A failure by its kind and message, e.g. {@code java.net.ConnectException: Connection refused or host
     * unreachable}. The JDK's HTTP client throws some without a message of their own: the first message down the
     * cause chain says what happened, and a failed connect carries none at all (JDK 17 drops the socket's reason).
     */
    static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return failure.getClass().getName() + ": " + t.getMessage();
            }
        }
        if (failure instanceof ConnectException) {
            return failure.getClass().getName() + ": Connection refused or host unreachable";
        }
        return failure.getClass().getName();
    }

    /**
     * Sends {@code request} and follows redirects itself, within the origin of {@code url} only: the client's
     * own redirect handling would send the credentials and custom headers to whatever host a server names.
     */
    private HttpResponse<InputStream> exchange(HttpRequest request, AnswerDeadline deadline, String description)
            throws IOException, InterruptedException {
        HttpRequest current = request;
        for (int hop = 0; ; hop++) {
            counters.requests++;
            HttpResponse<InputStream> response = http.send(
                    HttpRequest.newBuilder(current, (name, value) -> true)
                            .timeout(deadline.remaining())
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (!SameOriginRedirect.isRedirect(response.statusCode())) {
                return response;
            }
            response.body().close();
            if (hop == MAX_REDIRECTS) {
                throw new PrometheusQueryException(
                        response.statusCode(),
                        null,
                        "more than " + MAX_REDIRECTS
                                + " redirects in a row; set option '" + PrometheusConnection.URL
                                + "' to where the server"
                                + " finally answers",
                        description);
            }
            current = SameOriginRedirect.follow(current, response, description);
        }
    }

    private HttpRequest buildRequest(URI uri) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(uri).header("Accept", "application/json").GET();
        return withCommonHeaders(builder);
    }

    /** The user's headers and the credentials, on every request (to the origin of {@code url} only). */
    private HttpRequest withCommonHeaders(HttpRequest.Builder builder) {
        connection.headers().forEach(builder::header);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    private static PrometheusQueryException rejected(int status, byte[] body, String description) {
        try {
            RangeQueryResponseParser.Response error = RangeQueryResponseParser.parse(body, body.length, 1);
            if (error.error != null) {
                return new PrometheusQueryException(status, error.errorType, error.error, description);
            }
        } catch (IOException notJson) {
            // fall through: show the raw body
        }
        return new PrometheusQueryException(status, null, excerpt(body), description);
    }

    private static String excerpt(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return text.length() <= MAX_ERROR_BODY_CHARS ? text : text.substring(0, MAX_ERROR_BODY_CHARS) + "...";
    }

    private URI endpoint(String path, Map<String, String> params) {
        String base = connection.baseUrl().toString();
        StringBuilder uri =
                new StringBuilder(base.endsWith("/") ? base.substring(0, base.length() - 1) : base).append(path);
        char separator = '?';
        for (Map.Entry<String, String> param : params.entrySet()) {
            uri.append(separator)
                    .append(param.getKey())
                    .append('=')
                    .append(URLEncoder.encode(param.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return URI.create(uri.toString());
    }

    /** Seconds with millisecond precision, as Prometheus' API takes them. */
    static String seconds(long millis) {
        long whole = Math.floorDiv(millis, 1000);
        long fraction = Math.floorMod(millis, 1000);
        return fraction == 0 ? Long.toString(whole) : String.format("%d.%03d", whole, fraction);
    }

    private void sleep(Duration delay, String description) {
        try {
            backoff.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusUnavailableException("Interrupted while waiting to retry " + description, e);
        }
    }
}
