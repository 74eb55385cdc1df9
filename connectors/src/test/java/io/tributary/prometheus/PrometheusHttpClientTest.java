package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's retry and error rules, against an in-process HTTP server that answers from a script. */
class PrometheusHttpClientTest {
  private interface Answer {
    void send(HttpExchange exchange) throws IOException;
  }

  private HttpServer server;
  private final Deque<Answer> script = new ArrayDeque<>();
  private final List<HttpExchange> seen = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      synchronized (seen) {
        seen.add(exchange);
      }
      Answer answer = script.isEmpty() ? status(500, "script exhausted") : script.poll();
      answer.send(exchange);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
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

  private PrometheusHttpClient client(PrometheusReadCounters counters, Map<String, String> extra) {
    Map<String, String> options = PrometheusSourceOptionsTest.base();
    options.put("url", "http://127.0.0.1:" + server.getAddress().getPort() + "/prefix/");
    options.put("maxRetries", "3");
    options.put("retryInitialDelay", "10ms");
    options.putAll(extra);
    return new PrometheusHttpClient(PrometheusSourceOptionsTest.parse(options).connection(), counters);
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
    script.add(status(400, "{\"status\":\"error\",\"errorType\":\"bad_data\","
        + "\"error\":\"1:4: parse error: unexpected right parenthesis ')'\"}"));
    PrometheusQueryException error = assertThrows(PrometheusQueryException.class,
        () -> client(new PrometheusReadCounters(), Map.of()).queryRange("up))", 0, 60_000, 15_000));
    assertEquals(1, seen.size(), "no retry for a bad query");
    assertEquals(400, error.httpStatus());
    assertEquals("bad_data", error.errorType());
    assertTrue(error.getMessage().contains("parse error: unexpected right parenthesis"), error.getMessage());
    assertTrue(error.getMessage().contains("query_range up))"), error.getMessage());
  }

  @Test
  void tooManySamplesCarriesAHint() {
    script.add(status(422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"query processing"
        + " would load too many samples into memory in query execution\"}"));
    PrometheusQueryException error = assertThrows(PrometheusQueryException.class,
        () -> client(new PrometheusReadCounters(), Map.of()).queryRange("up", 0, 60_000, 15_000));
    assertTrue(error.isTooManySamples());
    assertTrue(error.getMessage().contains("Lower maxSamplesPerRequest"), error.getMessage());
  }

  @Test
  void givesUpAfterMaxRetriesAndSaysSo() {
    for (int i = 0; i < 4; i++) {
      script.add(status(502, "bad gateway"));
    }
    PrometheusUnavailableException error = assertThrows(PrometheusUnavailableException.class,
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
    PrometheusQueryException error = assertThrows(PrometheusQueryException.class,
        () -> client(new PrometheusReadCounters(), auth).queryRange("up", 0, 60_000, 15_000));
    HttpExchange request = seen.get(0);
    assertEquals("Basic YWxpY2U6czNjcjN0LXBhc3M=", request.getRequestHeaders().getFirst("Authorization"));
    assertEquals("tenant-7", request.getRequestHeaders().getFirst("X-Scope-OrgID"));
    assertFalse(error.getMessage().contains("s3cr3t"), error.getMessage());
    assertFalse(error.getMessage().contains("YWxpY2U6"), error.getMessage());
  }

  @Test
  void retryAfterAcceptsSecondsAndDates() {
    assertEquals(java.time.Duration.ofSeconds(7), RetryPolicy.parseRetryAfter("7"));
    assertEquals(java.time.Duration.ZERO, RetryPolicy.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
    assertEquals(null, RetryPolicy.parseRetryAfter("soon"));
    RetryPolicy policy = new RetryPolicy(5, java.time.Duration.ofMillis(100));
    long delay = policy.delayBeforeRetry(3, null).toMillis();
    assertTrue(delay >= 400 && delay <= 800, "800 ms ceiling, half of it at least: " + delay);
  }
}
