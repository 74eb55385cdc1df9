package io.tributary.prometheus.client;

import static io.tributary.secrets.SecretAssertions.assertNotShown;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.retry.Backoff;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's retry and error rules, against an in-process HTTP server that answers from a script. */
class PrometheusHttpClientTest {
    private interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    /** Guards the tests of stalled bodies: before the whole answer was bounded by 'timeout', they hung. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private HttpServer server;
    private final Deque<Answer> script = new ArrayDeque<>();
    private final List<HttpExchange> seen = new ArrayList<>();
    private final List<byte[]> requestBodies = new ArrayList<>();
    /** Holds stalled answers until the test ends. */
    private final CountDownLatch release = new CountDownLatch(1);

    private final ExecutorService handlers = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Answer answer;
            synchronized (seen) {
                seen.add(exchange);
                requestBodies.add(requestBody);
                answer = script.isEmpty() ? status(500, "script exhausted") : script.poll();
            }
            answer.send(exchange);
            exchange.close();
        });
        // Several threads: a stalled answer must not hold up the retry behind it.
        server.setExecutor(handlers);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/prefix/";
    }

    private static Answer status(int code, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    private static Answer throttled(String retryAfter) {
        return exchange -> {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
            status(429, "slow down").send(exchange);
        };
    }

    /** Declares the whole length, sends half: the client sees a cut-off body. */
    private static Answer truncated(String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            throw new IOException("cut on purpose");
        };
    }

    /** Sends the headers with the whole length and the first {@code bytes} of {@code body}, then nothing. */
    private Answer stalled(String body, int bytes) {
        return exchange -> {
            byte[] all = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, all.length);
            exchange.getResponseBody().write(all, 0, bytes);
            exchange.getResponseBody().flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    private static Answer redirect(int code, String location) {
        return exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(code, -1);
        };
    }

    private PrometheusHttpClient client(PrometheusReadCounters counters, Map<String, String> extra) {
        Map<String, String> options = TestConnections.baseOptions();
        options.put("url", url());
        options.put("maxRetries", "3");
        options.put("retryInitialDelay", "10ms");
        options.putAll(extra);
        return new PrometheusHttpClient(TestConnections.fromOptions(options), counters);
    }

    @Test
    void retriesServerErrorsThrottlingAndCutBodies() {
        script.add(status(503, "unavailable"));
        script.add(throttled("0"));
        script.add(truncated(RangeQueryResponseParserTest.MATRIX));
        script.add(status(200, RangeQueryResponseParserTest.MATRIX));
        PrometheusReadCounters counters = new PrometheusReadCounters();
        RangeQueryResponseParser.Response response =
                client(counters, Map.of()).queryRange("up", 1672531200_000L, 1672531245_000L, 15_000L);
        assertEquals(5, response.sampleCount());
        assertEquals(4, counters.requests);
        assertEquals(3, counters.retries);
        assertEquals(4, seen.size());
        String query = seen.get(3).getRequestURI().getRawQuery();
        assertEquals("/prefix/api/v1/query_range", seen.get(3).getRequestURI().getPath(), "the path prefix is kept");
        assertTrue(query.startsWith("query=up&start=1672531200&end=1672531245&step=15&timeout=120"), query);
    }

    @Test
    void badQueriesFailAtOnceWithTheServersMessage() {
        script.add(status(
                400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\","
                        + "\"error\":\"1:4: parse error: unexpected right parenthesis ')'\"}"));
        PrometheusQueryException error = assertThrows(
                PrometheusQueryException.class,
                () -> client(new PrometheusReadCounters(), Map.of()).queryRange("up))", 0, 60_000, 15_000));
        assertEquals(1, seen.size(), "no retry for a bad query");
        assertEquals(400, error.httpStatus());
        assertEquals("bad_data", error.errorType());
        assertTrue(error.getMessage().contains("parse error: unexpected right parenthesis"), error.getMessage());
        assertTrue(error.getMessage().contains("query_range up))"), error.getMessage());
    }

    @Test
    void tooManySamplesCarriesAHint() {
        script.add(status(
                422,
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing"
                        + " would load too many samples into memory in query execution\"}"));
        PrometheusQueryException error = assertThrows(
                PrometheusQueryException.class,
                () -> client(new PrometheusReadCounters(), Map.of()).queryRange("up", 0, 60_000, 15_000));
        assertTrue(error.isTooManySamples());
        assertTrue(error.getMessage().contains("Lower maxSamplesPerRequest"), error.getMessage());
    }

    @Test
    void givesUpAfterMaxRetriesAndSaysSo() {
        for (int i = 0; i < 4; i++) {
            script.add(status(502, "bad gateway"));
        }
        PrometheusUnavailableException error = assertThrows(
                PrometheusUnavailableException.class,
                () -> client(new PrometheusReadCounters(), Map.of()).queryRange("up", 0, 60_000, 15_000));
        assertEquals(4, seen.size());
        assertTrue(error.getMessage().contains("after 4 attempts (maxRetries=3)"), error.getMessage());
        assertTrue(error.getMessage().contains("HTTP 502: bad gateway"), error.getMessage());
    }

    @Test
    void sendsAuthAndHeadersButNeverPrintsThem() {
        script.add(status(403, "forbidden"));
        Map<String, String> auth = new HashMap<>();
        auth.put("user", "alice");
        auth.put("password", "s3cr3t-pass");
        auth.put("header.X-Scope-OrgID", "tenant-7");
        PrometheusQueryException error = assertThrows(
                PrometheusQueryException.class,
                () -> client(new PrometheusReadCounters(), auth).queryRange("up", 0, 60_000, 15_000));
        HttpExchange request = seen.get(0);
        assertEquals(
                "Basic YWxpY2U6czNjcjN0LXBhc3M=", request.getRequestHeaders().getFirst("Authorization"));
        assertEquals("tenant-7", request.getRequestHeaders().getFirst("X-Scope-OrgID"));
        assertFalse(error.getMessage().contains("s3cr3t"), error.getMessage());
        assertFalse(error.getMessage().contains("YWxpY2U6"), error.getMessage());
    }

    @Test
    void retryAfterAcceptsSecondsAndDates() {
        Backoff backoff = PrometheusHttpClient.backoff(Duration.ofMillis(100));
        assertEquals(Duration.ofSeconds(7), backoff.delay(0, "7"));
        assertEquals(Duration.ZERO, backoff.delay(0, "Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(Duration.ofMinutes(5), backoff.delay(0, "86400"));
        long delay = backoff.delay(3, "soon").toMillis();
        assertTrue(delay >= 400 && delay <= 800, "800 ms ceiling, half of it at least: " + delay);
    }

    @Test
    void retryDelaysDoubleFromRetryInitialDelayUpTo30SecondsWithJitterDownToHalf() {
        Backoff lowest = PrometheusHttpClient.backoff(Duration.ofMillis(500)).withJitter(new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                return 0;
            }
        });
        List<Duration> delays = new ArrayList<>();
        for (int retry = 0; retry < 8; retry++) {
            delays.add(lowest.delay(retry));
        }
        assertEquals(
                List.of(
                        Duration.ofMillis(250),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(15)),
                delays);
    }

    private static final String RANGE_0_60 = "query_range up [0, 60] step 15s at ";

    @Test
    void aStalledBodyIsCutAtTheTimeoutRetriedAndThenFailsSayingSo() {
        script.add(stalled(RangeQueryResponseParserTest.MATRIX, 100));
        script.add(stalled(RangeQueryResponseParserTest.MATRIX, 100));
        PrometheusReadCounters counters = new PrometheusReadCounters();
        PrometheusHttpClient client =
                client(counters, Map.of("timeout", "1s", "maxRetries", "1", "bearerToken", "t0ken-s3cret"));
        PrometheusUnavailableException error = assertTimeoutPreemptively(
                HANG_GUARD,
                () -> assertThrows(
                        PrometheusUnavailableException.class, () -> client.queryRange("up", 0, 60_000, 15_000)));
        assertEquals(
                "Prometheus could not be read after 2 attempts (maxRetries=1): " + RANGE_0_60 + url()
                        + "; last failure: java.net.http.HttpTimeoutException: the body stalled after 100 bytes: the answer was"
                        + " not complete within timeout=1s",
                error.getMessage());
        assertNotShown("t0ken-s3cret", error);
        assertEquals(200, counters.bytesReceived);
    }

    @Test
    void aBodyThatStallsOnlyOnceIsReadWholeOnTheRetry() {
        script.add(stalled(RangeQueryResponseParserTest.MATRIX, 100));
        script.add(status(200, RangeQueryResponseParserTest.MATRIX));
        PrometheusReadCounters counters = new PrometheusReadCounters();
        PrometheusHttpClient client = client(counters, Map.of("timeout", "1s"));
        RangeQueryResponseParser.Response response = assertTimeoutPreemptively(
                HANG_GUARD, () -> client.queryRange("up", 1672531200_000L, 1672531245_000L, 15_000L));
        assertEquals(5, response.sampleCount());
        assertEquals(1, counters.retries);
    }

    @Test
    void aStalledRemoteReadBodyIsRetriedWithTheSamePost() {
        String answer = "x".repeat(1000);
        script.add(stalled(answer, 100));
        script.add(status(200, answer));
        PrometheusHttpClient client = client(new PrometheusReadCounters(), Map.of("timeout", "1s"));
        byte[] request = {1, 2, 3};
        byte[] body = assertTimeoutPreemptively(
                HANG_GUARD, () -> client.remoteRead(request, "remote read test", (response, in) -> in.readAllBytes()));
        assertEquals(answer, new String(body, StandardCharsets.UTF_8));
        assertEquals(2, seen.size());
        assertArrayEquals(request, requestBodies.get(1));
    }

    @Test
    void aRedirectToAnotherOriginIsNotFollowedAndNamesTheOrigin() throws IOException {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<HttpExchange> otherSeen = new ArrayList<>();
        other.createContext("/", exchange -> {
            synchronized (otherSeen) {
                otherSeen.add(exchange);
            }
            status(200, RangeQueryResponseParserTest.MATRIX).send(exchange);
            exchange.close();
        });
        other.start();
        try {
            String otherOrigin = "http://127.0.0.1:" + other.getAddress().getPort();
            Map<String, String> basic =
                    Map.of("user", "alice", "password", "s3cr3t-pass", "header.X-Scope-OrgID", "tenant-7");
            Map<String, String> bearer = Map.of("bearerToken", "t0ken-s3cret", "header.X-Scope-OrgID", "tenant-7");
            for (Map<String, String> auth : List.of(basic, bearer)) {
                seen.clear();
                script.add(redirect(302, otherOrigin + "/elsewhere/api/v1/query_range?query=up&sig=l0cation-s3cret"));
                PrometheusQueryException error = assertThrows(
                        PrometheusQueryException.class,
                        () -> client(new PrometheusReadCounters(), auth).queryRange("up", 0, 60_000, 15_000));
                assertEquals(
                        "Prometheus rejected " + RANGE_0_60 + url() + ": HTTP 302: redirected to " + otherOrigin
                                + ", another origin than option 'url'; redirects are followed only within that origin, so that"
                                + " credentials and headers never reach another server. If " + otherOrigin
                                + " is the server to read,"
                                + " set option 'url' to it",
                        error.getMessage());
                assertEquals(1, seen.size(), "no retry");
                assertNotShown("s3cr3t-pass", error);
                assertNotShown("t0ken-s3cret", error);
                assertNotShown("l0cation-s3cret", error);
            }
            assertEquals(0, otherSeen.size(), "nothing, so neither credentials nor headers, reached the other origin");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void sameOriginRedirectsAreFollowedWithCredentialsAndHeaders() {
        script.add(redirect(302, "/moved/api/v1/query_range?query=up&start=1672531200&end=1672531245&step=15"));
        script.add(status(200, RangeQueryResponseParserTest.MATRIX));
        PrometheusReadCounters counters = new PrometheusReadCounters();
        RangeQueryResponseParser.Response response = client(
                        counters, Map.of("bearerToken", "t0ken", "header.X-Scope-OrgID", "tenant-7"))
                .queryRange("up", 1672531200_000L, 1672531245_000L, 15_000L);
        assertEquals(5, response.sampleCount());
        assertEquals(2, counters.requests);
        assertEquals(0, counters.retries);
        HttpExchange followed = seen.get(1);
        assertEquals("/moved/api/v1/query_range", followed.getRequestURI().getPath());
        assertEquals("Bearer t0ken", followed.getRequestHeaders().getFirst("Authorization"));
        assertEquals("tenant-7", followed.getRequestHeaders().getFirst("X-Scope-OrgID"));
    }

    @Test
    void redirectsKeepPostAndBodyExceptSeeOther() {
        byte[] request = {7, 8, 9};
        script.add(redirect(307, "/a/api/v1/read"));
        script.add(redirect(308, "/b/api/v1/read"));
        script.add(redirect(302, "/c/api/v1/read"));
        script.add(redirect(303, "/d/api/v1/read"));
        script.add(status(200, "done"));
        byte[] body = client(new PrometheusReadCounters(), Map.of())
                .remoteRead(request, "remote read test", (response, in) -> in.readAllBytes());
        assertEquals("done", new String(body, StandardCharsets.UTF_8));
        assertEquals(5, seen.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("POST", seen.get(i).getRequestMethod());
            assertArrayEquals(request, requestBodies.get(i));
            assertEquals("snappy", seen.get(i).getRequestHeaders().getFirst("Content-Encoding"));
        }
        assertEquals("GET", seen.get(4).getRequestMethod());
        assertEquals(0, requestBodies.get(4).length);
        assertEquals(null, seen.get(4).getRequestHeaders().getFirst("Content-Encoding"));
    }

    @Test
    void endlessRedirectsFail() {
        for (int i = 0; i <= PrometheusHttpClient.MAX_REDIRECTS; i++) {
            script.add(redirect(302, "/loop" + i + "/api/v1/query_range"));
        }
        PrometheusQueryException error = assertThrows(
                PrometheusQueryException.class,
                () -> client(new PrometheusReadCounters(), Map.of()).queryRange("up", 0, 60_000, 15_000));
        assertEquals(
                "Prometheus rejected " + RANGE_0_60 + url() + ": HTTP 302: more than 5 redirects in a row; set"
                        + " option 'url' to where the server finally answers",
                error.getMessage());
        assertEquals(6, seen.size());
    }

    @Test
    void originsAreSchemeHostAndPort() {
        java.net.URI base = java.net.URI.create("http://prom.example:80/prefix/api/v1/read");
        assertTrue(SameOriginRedirect.sameOrigin(base, java.net.URI.create("http://PROM.example/other")));
        assertTrue(
                SameOriginRedirect.sameOrigin(base, java.net.URI.create("https://prom.example/prefix")),
                "http to https of the same host on the default ports is an upgrade");
        assertTrue(SameOriginRedirect.sameOrigin(
                java.net.URI.create("http://prom.example:9090/"), java.net.URI.create("http://prom.example:9090/x")));
        assertFalse(
                SameOriginRedirect.sameOrigin(
                        java.net.URI.create("http://prom.example:9090/"),
                        java.net.URI.create("https://prom.example:9090/")),
                "another port");
        assertFalse(
                SameOriginRedirect.sameOrigin(
                        java.net.URI.create("https://prom.example/"), java.net.URI.create("http://prom.example/")),
                "no downgrade");
        assertFalse(SameOriginRedirect.sameOrigin(base, java.net.URI.create("http://prom.example:8080/")));
        assertFalse(SameOriginRedirect.sameOrigin(base, java.net.URI.create("http://other.example/")));
        assertFalse(
                SameOriginRedirect.sameOrigin(base, java.net.URI.create("http://u:p@prom.example/")),
                "user-info in a Location is not followed");
        assertEquals(
                "https://prom.example:443",
                SameOriginRedirect.origin(java.net.URI.create("https://u:p@Prom.Example/path?q=1")));
    }

    @Test
    void aClosedPortEndsWithTheKindAndMessageOfTheLastFailure() throws IOException {
        int closedPort;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> options = new HashMap<>(Map.of("maxRetries", "1", "url", "http://127.0.0.1:" + closedPort));
        PrometheusUnavailableException error = assertThrows(
                PrometheusUnavailableException.class,
                () -> client(new PrometheusReadCounters(), options).queryRange("up", 0, 60_000, 15_000));
        assertEquals(
                "Prometheus could not be read after 2 attempts (maxRetries=1): " + RANGE_0_60 + "http://127.0.0.1:"
                        + closedPort
                        + "; last failure: java.net.ConnectException: Connection refused or host unreachable",
                error.getMessage());
    }

    @Test
    void theTokenFileIsSentTrimmed(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "eyJhbGciOi.J9-_~+/x=\n");
        script.add(status(403, "forbidden"));
        assertThrows(
                PrometheusQueryException.class,
                () -> client(new PrometheusReadCounters(), Map.of("bearerTokenFile", file.toString()))
                        .queryRange("up", 0, 60_000, 15_000));
        assertEquals(
                "Bearer eyJhbGciOi.J9-_~+/x=", seen.get(0).getRequestHeaders().getFirst("Authorization"));
    }
}
