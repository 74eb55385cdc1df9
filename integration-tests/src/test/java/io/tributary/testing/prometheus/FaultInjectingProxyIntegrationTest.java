package io.tributary.testing.prometheus;

import static io.tributary.testing.prometheus.SharedPrometheus.HISTORY;
import static io.tributary.testing.prometheus.SharedPrometheus.START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectingProxyIntegrationTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final RangeQuery RANGE =
            new RangeQuery(NodeMemoryHistory.MEM_FREE, START, HISTORY.lastSampleTime(), Duration.ofSeconds(15));
    private static final String RANGE_PATH = "/api/v1/query_range?" + RANGE.encodedParameters();

    private static String upstream;
    private static FaultInjectingProxy proxy;

    @BeforeAll
    static void startProxy() throws IOException {
        upstream = SharedPrometheus.server().url();
        proxy = FaultInjectingProxy.start(upstream, 4);
    }

    @AfterAll
    static void stopProxy() {
        proxy.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        proxy.reset();
    }

    private static HttpResponse<byte[]> get(String base, String pathAndQuery) throws Exception {
        return CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void partialResponsesCarryTheWarningAndHalfTheSeriesInTheWireFormat() throws Exception {
        String direct = text(get(upstream, RANGE_PATH));
        proxy.enqueue("/api/v1/query_range", Fault.partialResponse("No StoreAPIs matched for this query"), 1);
        proxy.enqueue("/api/v1/query_range", Fault.answerNote("infos", "PromQL info: a note"), 1);
        String partial = text(get(proxy.url(), RANGE_PATH));
        String noted = text(get(proxy.url(), RANGE_PATH));

        ObjectMapper json = new ObjectMapper();
        JsonNode all = json.readTree(direct).path("data").path("result");
        assertEquals(3, all.size(), "three instances");
        String firstSeries = json.writeValueAsString(all.get(0));
        String firstSeriesOnly = direct.replace(json.writeValueAsString(all), "[" + firstSeries + "]");
        assertTrue(
                direct.contains(json.writeValueAsString(all)),
                "the upstream's series, byte for byte as Jackson writes them");
        assertEquals(
                firstSeriesOnly.substring(0, firstSeriesOnly.length() - 1)
                        + ",\"warnings\":[\"No StoreAPIs matched for this query\"]}",
                partial);
        assertEquals(direct.substring(0, direct.length() - 1) + ",\"infos\":[\"PromQL info: a note\"]}", noted);
    }

    @Test
    void forwardsGetRequestsAndRecordsDecodedParametersAndHeaders() throws Exception {
        HttpResponse<byte[]> direct = get(upstream, RANGE_PATH);
        HttpResponse<byte[]> proxied = CLIENT.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + RANGE_PATH))
                        .header("X-Scope-OrgID", "tenant-1")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, proxied.statusCode());
        assertArrayEquals(direct.body(), proxied.body());
        assertEquals(
                "application/json", proxied.headers().firstValue("content-type").orElseThrow());
        RecordedRequest recorded = proxy.requests().get(0);
        assertEquals("GET", recorded.method());
        assertEquals("/api/v1/query_range", recorded.path());
        assertEquals(
                List.of("node_memory_MemFree_bytes"), recorded.queryParameters().get("query"));
        assertEquals("1672534800", recorded.parameter("start"));
        assertEquals("1672541985", recorded.parameter("end"));
        assertEquals("15", recorded.parameter("step"));
        assertEquals("tenant-1", recorded.header("x-scope-orgid"));
        assertNull(recorded.fault());
        assertEquals(1, proxy.requestCount());
        assertEquals(0, proxy.faultsApplied());
    }

    @Test
    void forwardsPostFormBodiesAndDecodesThem() throws Exception {
        String selector = "node_memory_Active_bytes{group=\"group-1\"}";
        RangeQuery query = new RangeQuery(selector, START, START.plusSeconds(600), Duration.ofSeconds(60));
        HttpResponse<byte[]> direct = get(upstream, "/api/v1/query_range?" + query.encodedParameters());
        HttpResponse<byte[]> proxied = CLIENT.send(
                HttpRequest.newBuilder(URI.create(proxy.url() + "/api/v1/query_range"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(query.encodedParameters()))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals(200, proxied.statusCode());
        assertArrayEquals(direct.body(), proxied.body());
        assertTrue(text(proxied).contains("\"instance\":\"node-01:9100\""), text(proxied));
        RecordedRequest recorded = proxy.requests().get(0);
        assertEquals("POST", recorded.method());
        assertEquals(List.of(selector), recorded.formParameters().get("query"));
        assertEquals(selector, recorded.parameter("query"));
        assertEquals("60", recorded.parameter("step"));
        assertEquals(0, recorded.queryParameters().size());
    }

    @Test
    void statusFaultsAnswerTheNextRequestsThenForwardingResumes() throws Exception {
        proxy.enqueue(Fault.status(503, "overloaded"), 2);
        assertEquals(2, proxy.pendingFaults());

        HttpResponse<byte[]> first = get(proxy.url(), RANGE_PATH);
        HttpResponse<byte[]> second = get(proxy.url(), RANGE_PATH);
        HttpResponse<byte[]> third = get(proxy.url(), RANGE_PATH);

        assertEquals(503, first.statusCode());
        assertEquals("overloaded", text(first));
        assertEquals(503, second.statusCode());
        assertEquals(200, third.statusCode());
        assertArrayEquals(get(upstream, RANGE_PATH).body(), third.body());
        assertEquals(3, proxy.requestCount());
        assertEquals(2, proxy.faultsApplied());
        assertEquals(0, proxy.pendingFaults());
        assertEquals(
                new Fault.Status(503, "text/plain; charset=utf-8", "overloaded"),
                proxy.requests().get(1).fault());
        assertNull(proxy.requests().get(2).fault());
    }

    @Test
    void prometheusErrorFaultsUseTheApiErrorShape() throws Exception {
        proxy.enqueue(Fault.prometheusError(422, "execution", "query timed out in expression evaluation"), 1);
        proxy.enqueue(Fault.status(502, "bad gateway"), 1);

        HttpResponse<byte[]> first = get(proxy.url(), RANGE_PATH);
        HttpResponse<byte[]> second = get(proxy.url(), RANGE_PATH);

        assertEquals(422, first.statusCode());
        assertEquals(
                "application/json", first.headers().firstValue("content-type").orElseThrow());
        assertEquals(
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query timed out in expression"
                        + " evaluation\"}",
                text(first));
        assertEquals(502, second.statusCode());
        assertEquals("bad gateway", text(second));
    }

    @Test
    void tooManyRequestsCarriesRetryAfter() throws Exception {
        proxy.enqueue(Fault.tooManyRequests(7), 1);

        HttpResponse<byte[]> limited = get(proxy.url(), RANGE_PATH);

        assertEquals(429, limited.statusCode());
        assertEquals(List.of("7"), limited.headers().allValues("retry-after"));
        assertEquals(200, get(proxy.url(), RANGE_PATH).statusCode());
    }

    @Test
    void pathPrefixedFaultsSkipOtherPaths() throws Exception {
        proxy.enqueue("/api/v1/query_range", Fault.status(500, "boom"), 1);

        assertEquals(200, get(proxy.url(), "/api/v1/labels").statusCode());
        assertEquals(500, get(proxy.url(), RANGE_PATH).statusCode());
        assertEquals(200, get(proxy.url(), RANGE_PATH).statusCode());
        assertEquals(1, proxy.faultsApplied());
        assertEquals(3, proxy.requests().size());
        assertEquals(2, proxy.requests("/api/v1/query_range").size());
    }

    @Test
    void delayedRequestsAreStillForwarded() throws Exception {
        proxy.enqueue(Fault.delay(Duration.ofMillis(200)), 1);

        HttpResponse<byte[]> delayed = get(proxy.url(), RANGE_PATH);

        assertEquals(200, delayed.statusCode());
        assertArrayEquals(get(upstream, RANGE_PATH).body(), delayed.body());
        assertInstanceOf(Fault.Delay.class, proxy.requests().get(0).fault());
        assertEquals(1, proxy.faultsApplied());
    }

    /** Sends one request under {@code fault} over a raw socket: headers with the full length, then half the body. */
    private static RawExchange halfBodyUnder(Fault fault) throws Exception {
        int fullLength = get(upstream, RANGE_PATH).body().length;
        proxy.enqueue(fault, 1);
        RawExchange exchange = RawExchange.send(proxy.port(), RANGE_PATH);
        assertTrue(exchange.head.startsWith("HTTP/1.1 200 OK\r\n"), exchange.head);
        assertEquals(fullLength, exchange.contentLength());
        assertEquals(fullLength / 2, exchange.bodyBytes);
        return exchange;
    }

    @Test
    void resetMidBodySendsHeadersAndHalfTheBodyThenResets() throws Exception {
        RawExchange exchange = halfBodyUnder(Fault.resetMidBody());

        assertInstanceOf(IOException.class, exchange.failure, "the connection must end with a reset, not a close");
        assertTrue(
                exchange.failure.getMessage().toLowerCase(Locale.ROOT).contains("reset"),
                exchange.failure.getMessage());
        proxy.enqueue(Fault.resetMidBody(), 1);
        assertThrows(IOException.class, () -> get(proxy.url(), RANGE_PATH));
    }

    @Test
    void truncatedBodyDeclaresMoreThanItSends() throws Exception {
        RawExchange exchange = halfBodyUnder(Fault.truncatedBody());

        assertNull(exchange.failure, "a truncated body ends with a normal close");
        proxy.enqueue(Fault.truncatedBody(), 1);
        assertThrows(IOException.class, () -> get(proxy.url(), RANGE_PATH));
        assertEquals(2, proxy.faultsApplied());
    }

    @Test
    void mistakesAreRejectedNamingTheField() {
        assertEquals(
                "statusCode must be an error status in [400, 599], got 200",
                assertThrows(IllegalArgumentException.class, () -> Fault.status(200, "ok"))
                        .getMessage());
        assertEquals(
                "times must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> proxy.enqueue(Fault.resetMidBody(), 0))
                        .getMessage());
        assertEquals(
                "upstreamUrl must be http://host[:port][/path] without a query, got ftp://127.0.0.1:1",
                assertThrows(IllegalArgumentException.class, () -> FaultInjectingProxy.start("ftp://127.0.0.1:1"))
                        .getMessage());
    }

    @Test
    void unreachableUpstreamAnswersBadGatewayWithTheCause() throws Exception {
        int closedPort = PrometheusServer.freeLoopbackPort();
        try (FaultInjectingProxy orphan = FaultInjectingProxy.start("http://127.0.0.1:" + closedPort, 1)) {
            HttpResponse<byte[]> response = get(orphan.url(), "/api/v1/labels");

            assertEquals(502, response.statusCode());
            assertTrue(
                    text(response)
                            .startsWith("FaultInjectingProxy could not forward GET /api/v1/labels to"
                                    + " http://127.0.0.1:" + closedPort + ": java.net.ConnectException"),
                    text(response));
            assertEquals(1, orphan.requestCount());
            assertEquals(0, orphan.faultsApplied());
        }
    }

    @Test
    void stallBodySendsTheFirstBytesThenHoldsTheConnectionUntilClosed() throws Exception {
        int fullLength = get(upstream, RANGE_PATH).body().length;
        FaultInjectingProxy stalling = FaultInjectingProxy.start(upstream, 2);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), stalling.port())) {
            stalling.enqueue(Fault.stallBody(100), 1);
            socket.getOutputStream()
                    .write(("GET " + RANGE_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = RawExchange.readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
            assertTrue(head.contains("Content-Length: " + fullLength + "\r\n"), head);
            assertEquals(100, in.readNBytes(100).length);
            // Closing the proxy is what ends the stalled connection; nothing was sent after the 100 bytes.
            stalling.close();
            int more = 0;
            try {
                for (int n; (n = in.read(new byte[8192])) > 0; ) {
                    more += n;
                }
            } catch (IOException resetOnClose) {
                // The proxy closed the socket: the connection is over either way.
            }
            assertEquals(0, more);
            assertEquals(new Fault.StallBody(100), stalling.requests().get(0).fault());
        } finally {
            stalling.close();
        }
    }

    @Test
    void redirectAnswersWithTheLocationAtTheGivenBase() throws Exception {
        proxy.enqueue(Fault.redirect(307, "http://127.0.0.1:1"), 1);

        HttpResponse<byte[]> redirected = get(proxy.url(), RANGE_PATH);

        assertEquals(307, redirected.statusCode());
        assertEquals(
                List.of("http://127.0.0.1:1" + RANGE_PATH), redirected.headers().allValues("location"));
        assertEquals(200, get(proxy.url(), RANGE_PATH).statusCode(), "one request only");
        assertEquals(
                "statusCode must be a redirect (301, 302, 303, 307 or 308), got 200",
                assertThrows(IllegalArgumentException.class, () -> Fault.redirect(200, proxy.url()))
                        .getMessage());
        assertEquals(
                "bytes must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> Fault.stallBody(-1))
                        .getMessage());
    }

    /** One request over a plain socket, reading until the server closes or resets the connection. */
    private static final class RawExchange {
        String head;
        int bodyBytes;
        IOException failure;

        static RawExchange send(int port, String pathAndQuery) throws IOException {
            RawExchange exchange = new RawExchange();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                exchange.head = readHead(in);
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        exchange.bodyBytes += n;
                    }
                } catch (IOException e) {
                    exchange.failure = e;
                }
            }
            return exchange;
        }

        static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    fail("connection ended inside the response head: " + head);
                }
                head.write(b);
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        int contentLength() {
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    return Integer.parseInt(
                            line.substring("content-length:".length()).trim());
                }
            }
            throw new AssertionError("no Content-Length in " + head);
        }
    }
}
