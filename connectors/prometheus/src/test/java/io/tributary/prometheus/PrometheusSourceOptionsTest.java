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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
        return assertThrows(IllegalArgumentException.class, () -> parse(options))
                .getMessage();
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
        assertEquals(
                "node_memory_Cached_bytes{job=\"node\",group=~\"a|b\"}",
                options.metrics().get(1).toString());
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
        Map<String, String> conf = Map.of(
                "spark.tributary.prometheus.url", "http://10.0.0.1:9090", "spark.tributary.prometheus.step", "1m");
        options.put("STEP", "30s");
        PrometheusSourceOptions parsed = PrometheusSourceOptions.from(options, conf, NOW);
        assertEquals("http://10.0.0.1:9090", parsed.connection().displayUrl());
        assertEquals(Duration.ofSeconds(30), parsed.step(), "a read option beats the session conf, in any case");
    }

    /** An option left out, in {@link #changed}. */
    private static final String ABSENT = null;

    /** {@link #base()} with the given options set, or removed where the value is {@link #ABSENT}. */
    private static Map<String, String> changed(String... pairs) {
        Map<String, String> options = base();
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                options.remove(pairs[i]);
            } else {
                options.put(pairs[i], pairs[i + 1]);
            }
        }
        return options;
    }

    private static Consumer<String> contains(String... parts) {
        return message -> {
            for (String part : parts) {
                assertTrue(message.contains(part), message);
            }
        };
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(changed("url", ABSENT), contains("'url' is required")),
                Arguments.of(changed("query", "up"), contains("'metrics'", "both were given")),
                Arguments.of(changed("metrics", ABSENT), contains("neither was given")),
                Arguments.of(
                        changed("end", "2022-12-31T00:00:00Z"),
                        contains("'start' (2023-01-01T00:00:00Z) is after option 'end'")),
                Arguments.of(changed("start", "yesterday"), (Consumer<String>) message -> {
                    assertTrue(message.startsWith("Option 'start' must be RFC 3339"), message);
                    assertTrue(message.endsWith(", got 'yesterday'"), message);
                }),
                Arguments.of(changed("layout", "tall"), (Consumer<String>)
                        message -> assertEquals("Option 'layout' must be one of long, wide, got 'tall'", message)),
                Arguments.of(
                        changed("url", "ftp://host/"), contains("Option 'url' must be an http:// or https:// URL")),
                Arguments.of(changed("metrics", "rate(http_requests_total[5m])"), contains("use the 'query' option")),
                Arguments.of(
                        changed("labelColumns", "instance,bad-name"),
                        contains("Option 'labelColumns' entry 'bad-name' is not a label name")),
                Arguments.of(changed("labelColumns", "value"), contains("clashes with the fixed column")),
                // layout=wide needs named, distinct metrics
                Arguments.of(
                        changed("metrics", ABSENT, "query", "up", "layout", "wide"),
                        contains("layout'=wide needs the 'metrics' option")),
                Arguments.of(changed("metrics", "{job=\"node\"}", "layout", "wide"), contains("has none")),
                Arguments.of(
                        changed("metrics", "up{job=\"a\"},up{job=\"b\"}", "layout", "wide"),
                        contains("names metric 'up' twice")));
    }

    /** One row per mistake: the message names the option at fault. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputNamesTheOption(Map<String, String> options, Consumer<String> check) {
        check.accept(errorOf(options));
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
        assertEquals(
                Map.of("X-Scope-OrgID", "tenant-1"), parse(options).connection().headers());
    }

    @Test
    void selectorsSplitAtTopLevelCommasOnly() {
        assertEquals(
                List.of("a{x=\"1,2\",y=\"3\"}", "b", "{__name__=\"c\"}"),
                PrometheusSourceOptions.splitTopLevel("a{x=\"1,2\",y=\"3\"}, b ,{__name__=\"c\"}"));
    }
}
