package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusSourceOptionsTest {
  static final Clock NOW = Clock.fixed(Instant.parse("2023-01-24T00:00:00Z"), ZoneOffset.UTC);

  static Map<String, String> base() {
    Map<String, String> options = new HashMap<>();
    options.put("url", "http://127.0.0.1:9090");
    options.put("metrics", "node_memory_Active_bytes,node_memory_Cached_bytes{job=\"node\",group=~\"a|b\"}");
    options.put("start", "2023-01-01T00:00:00Z");
    return options;
  }

  static PrometheusSourceOptions parse(Map<String, String> options) {
    return PrometheusSourceOptions.from(options, Map.of(), NOW);
  }

  static String errorOf(Map<String, String> options) {
    return assertThrows(IllegalArgumentException.class, () -> parse(options)).getMessage();
  }

  @Test
  void defaultsAndParsing() {
    PrometheusSourceOptions options = parse(base());
    assertEquals(Instant.parse("2023-01-01T00:00:00Z"), options.start());
    assertEquals(Instant.parse("2023-01-24T00:00:00Z"), options.end(), "end defaults to now");
    assertEquals(Duration.ofSeconds(15), options.step());
    assertEquals(Layout.LONG, options.layout());
    assertEquals(null, options.partitionDuration(), "automatic slicing by default");
    assertEquals(2, options.metrics().size());
    assertEquals("node_memory_Cached_bytes", options.metrics().get(1).name());
    assertEquals("node_memory_Cached_bytes{job=\"node\",group=~\"a|b\"}", options.metrics().get(1).toString());
  }

  @Test
  void timesInEveryNotation() {
    Map<String, String> options = base();
    options.put("start", "1672531200.5");
    options.put("end", "now-1h");
    options.put("step", "1m30s");
    PrometheusSourceOptions parsed = parse(options);
    assertEquals(Instant.parse("2023-01-01T00:00:00.500Z"), parsed.start());
    assertEquals(Instant.parse("2023-01-23T23:00:00Z"), parsed.end());
    assertEquals(Duration.ofSeconds(90), parsed.step());
  }

  @Test
  void sessionConfIsTheFallbackAndOptionsWin() {
    Map<String, String> options = base();
    options.remove("url");
    Map<String, String> conf = Map.of("spark.tributary.prometheus.url", "http://10.0.0.1:9090",
        "spark.tributary.prometheus.step", "1m");
    options.put("STEP", "30s");
    PrometheusSourceOptions parsed = PrometheusSourceOptions.from(options, conf, NOW);
    assertEquals("http://10.0.0.1:9090", parsed.connection().displayUrl());
    assertEquals(Duration.ofSeconds(30), parsed.step(), "a read option beats the session conf, in any case");
  }

  @Test
  void badInputNamesTheOption() {
    Map<String, String> noUrl = base();
    noUrl.remove("url");
    assertTrue(errorOf(noUrl).contains("'url' is required"));

    Map<String, String> both = base();
    both.put("query", "up");
    assertTrue(errorOf(both).contains("'metrics'") && errorOf(both).contains("both were given"));

    Map<String, String> neither = base();
    neither.remove("metrics");
    assertTrue(errorOf(neither).contains("neither was given"));

    Map<String, String> backwards = base();
    backwards.put("end", "2022-12-31T00:00:00Z");
    assertTrue(errorOf(backwards).contains("'start' (2023-01-01T00:00:00Z) is after option 'end'"));

    Map<String, String> badTime = base();
    badTime.put("start", "yesterday");
    assertTrue(errorOf(badTime).startsWith("Option 'start' must be RFC 3339"));
    assertTrue(errorOf(badTime).endsWith(", got 'yesterday'"));

    Map<String, String> badLayout = base();
    badLayout.put("layout", "tall");
    assertEquals("Option 'layout' must be one of long, wide, got 'tall'", errorOf(badLayout));

    Map<String, String> badUrl = base();
    badUrl.put("url", "ftp://host/");
    assertTrue(errorOf(badUrl).contains("Option 'url' must be an http:// or https:// URL"));

    Map<String, String> badSelector = base();
    badSelector.put("metrics", "rate(http_requests_total[5m])");
    assertTrue(errorOf(badSelector).contains("use the 'query' option"));

    Map<String, String> badLabel = base();
    badLabel.put("labelColumns", "instance,bad-name");
    assertTrue(errorOf(badLabel).contains("Option 'labelColumns' entry 'bad-name' is not a label name"));

    Map<String, String> reserved = base();
    reserved.put("labelColumns", "value");
    assertTrue(errorOf(reserved).contains("clashes with the fixed column"));
  }

  @Test
  void wideLayoutNeedsNamedDistinctMetrics() {
    Map<String, String> withQuery = base();
    withQuery.remove("metrics");
    withQuery.put("query", "up");
    withQuery.put("layout", "wide");
    assertTrue(errorOf(withQuery).contains("layout'=wide needs the 'metrics' option"));

    Map<String, String> unnamed = base();
    unnamed.put("metrics", "{job=\"node\"}");
    unnamed.put("layout", "wide");
    assertTrue(errorOf(unnamed).contains("has none"));

    Map<String, String> twice = base();
    twice.put("metrics", "up{job=\"a\"},up{job=\"b\"}");
    twice.put("layout", "wide");
    assertTrue(errorOf(twice).contains("names metric 'up' twice"));
  }

  @Test
  void secretsNeverShow() {
    Map<String, String> options = base();
    options.put("user", "alice");
    options.put("password", "s3cr3t-pass");
    options.put("header.X-Api-Key", "k3y-value");
    String text = parse(options).toString();
    assertFalse(text.contains("s3cr3t-pass"), text);
    assertFalse(text.contains("k3y-value"), text);
    assertTrue(text.contains("auth=basic"), text);

    Map<String, String> inUrl = base();
    inUrl.put("url", "http://alice:s3cr3t-pass@host:9090");
    String message = errorOf(inUrl);
    assertFalse(message.contains("s3cr3t-pass"), message);
    assertTrue(message.contains("must not carry credentials"), message);

    Map<String, String> twoKinds = base();
    twoKinds.put("user", "alice");
    twoKinds.put("bearerToken", "t0ken");
    assertFalse(errorOf(twoKinds).contains("t0ken"));
  }

  @Test
  void headersKeepTheirNames() {
    Map<String, String> options = base();
    options.put("header.X-Scope-OrgID", "tenant-1");
    assertEquals(Map.of("X-Scope-OrgID", "tenant-1"), parse(options).connection().headers());
  }

  @Test
  void selectorsSplitAtTopLevelCommasOnly() {
    assertEquals(List.of("a{x=\"1,2\",y=\"3\"}", "b", "{__name__=\"c\"}"),
        PrometheusSourceOptions.splitTopLevel("a{x=\"1,2\",y=\"3\"}, b ,{__name__=\"c\"}"));
  }
}
