package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and careless option values: each is refused when the options are parsed, with a message naming the
 * option and what it allows, instead of wrapping around, exhausting the heap, or silently meaning something else.
 */
class PrometheusRefusedOptionsTest {
    private static final String TIME = "RFC 3339 (2023-01-01T00:00:00Z), epoch seconds (1672531200), now, or"
            + " now-<duration> (now-6h), from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z";
    private static final String DURATION = "a Prometheus duration (units y w d h m s ms, each at most once, largest"
            + " first: 15s, 1h30m, 2d) or a number of seconds";
    private static final String NOT_A_SELECTOR = "' is not a metric name or series selector (name,"
            + " name{label=\"value\"} or {__name__=\"name\",...}; NaN, Inf and the PromQL keywords atan2, bool, group_left,"
            + " group_right, ignoring, on are not metric names); use the 'query' option for PromQL expressions";

    static Stream<Arguments> refused() {
        return Stream.of(
                // Times that overflow or lie outside 1970..9999, instead of wrapping around or exhausting the heap.
                Arguments.of(
                        "start",
                        "99999999999999999999999",
                        "Option 'start' must be " + TIME + ", got '99999999999999999999999'"),
                Arguments.of(
                        "start",
                        "18446744073709551.616",
                        "Option 'start' must be " + TIME + ", got '18446744073709551.616'"),
                Arguments.of("end", "99999999999999", "Option 'end' must be " + TIME + ", got '99999999999999'"),
                Arguments.of("start", "now-100y", "Option 'start' must be " + TIME + ", got 'now-100y'"),
                Arguments.of(
                        "start",
                        "now-99999999999999999999y",
                        "Option 'start' must be " + TIME + ", got 'now-99999999999999999999y'"),
                Arguments.of(
                        "start",
                        "+10000-01-01T00:00:00Z",
                        "Option 'start' must be " + TIME + ", got '+10000-01-01T00:00:00Z'"),
                Arguments.of(
                        "start",
                        "1969-12-31T23:59:59Z",
                        "Option 'start' must be " + TIME + ", got '1969-12-31T23:59:59Z'"),
                Arguments.of("start", "now-1h1h", "Option 'start' must be " + TIME + ", got 'now-1h1h'"),
                // Blank values are refused, not read as the default.
                Arguments.of("end", "", "Option 'end' is blank: give a value, or leave the option out"),
                Arguments.of("step", " ", "Option 'step' is blank: give a value, or leave the option out"),
                Arguments.of("mode", "", "Option 'mode' is blank: give a value, or leave the option out"),
                Arguments.of("timeout", "", "Option 'timeout' is blank: give a value, or leave the option out"),
                Arguments.of("layout", "", "Option 'layout' is blank: give a value, or leave the option out"),
                Arguments.of("labelsFormat", "xml", "Option 'labelsFormat' must be one of map, json, got 'xml'"),
                Arguments.of(
                        "partitionDuration",
                        "",
                        "Option 'partitionDuration' is blank: give a value, or leave the" + " option out"),
                Arguments.of("metrics", "", "Option 'metrics' is blank: give a value, or leave the option out"),
                Arguments.of("password", "", "Option 'password' is blank: give a value, or leave the option out"),
                // Prometheus' duration syntax: each unit at most once, largest first; bounded.
                Arguments.of("step", "1h1h", "Option 'step' must be " + DURATION + ", from 1ms to 365d, got '1h1h'"),
                Arguments.of("step", "30m1h", "Option 'step' must be " + DURATION + ", from 1ms to 365d, got '30m1h'"),
                Arguments.of(
                        "step",
                        "15 seconds",
                        "Option 'step' must be " + DURATION + ", from 1ms to 365d," + " got '15 seconds'"),
                Arguments.of("step", "0s", "Option 'step' must be " + DURATION + ", from 1ms to 365d, got '0s'"),
                Arguments.of(
                        "step", "0.0001", "Option 'step' must be " + DURATION + ", from 1ms to 365d, got '0.0001'"),
                Arguments.of("step", "366d", "Option 'step' must be " + DURATION + ", from 1ms to 365d, got '366d'"),
                Arguments.of(
                        "step",
                        "99999999999999999999s",
                        "Option 'step' must be " + DURATION + ", from 1ms to 365d," + " got '99999999999999999999s'"),
                Arguments.of(
                        "partitionDuration",
                        "2h2h",
                        "Option 'partitionDuration' must be " + DURATION + ", from 1ms to 365d, got '2h2h'"),
                Arguments.of(
                        "lateness",
                        "1m1m",
                        "Option 'lateness' must be " + DURATION + ", from 1ms to 365d," + " got '1m1m'"),
                Arguments.of(
                        "maxBatchDuration",
                        "2y",
                        "Option 'maxBatchDuration' must be " + DURATION + ", from 1ms to 365d, got '2y'"),
                Arguments.of(
                        "timeout",
                        "99999999999999999999999",
                        "Option 'timeout' must be " + DURATION + ", from 1ms to 1h, got '99999999999999999999999'"),
                Arguments.of("timeout", "2h", "Option 'timeout' must be " + DURATION + ", from 1ms to 1h, got '2h'"),
                Arguments.of(
                        "retryInitialDelay",
                        "1m",
                        "Option 'retryInitialDelay' must be " + DURATION + ", from 1ms to 30s, got '1m'"),
                // Whole numbers, range-checked instead of truncated to an int.
                Arguments.of(
                        "maxConcurrentReads",
                        "2147483648",
                        "Option 'maxConcurrentReads' must be a whole number from 1 to 1000, got '2147483648'"),
                Arguments.of(
                        "maxConcurrentReads",
                        "0",
                        "Option 'maxConcurrentReads' must be a whole number from 1 to 1000," + " got '0'"),
                Arguments.of(
                        "maxRetries",
                        "2147483648",
                        "Option 'maxRetries' must be a whole number from 0 to 100," + " got '2147483648'"),
                Arguments.of("maxRetries", "-1", "Option 'maxRetries' must be a whole number from 0 to 100, got '-1'"),
                Arguments.of(
                        "maxSamplesPerRequest",
                        "99999999999999999999",
                        "Option 'maxSamplesPerRequest' must be a whole"
                                + " number from 1 to 1000000000, got '99999999999999999999'"),
                Arguments.of("tlsInsecure", "yes", "Option 'tlsInsecure' must be true or false, got 'yes'"),
                // What parses as a selector but is none.
                Arguments.of("metrics", "NaN", "Option 'metrics' entry 'NaN" + NOT_A_SELECTOR),
                Arguments.of("metrics", "up,Inf", "Option 'metrics' entry 'Inf" + NOT_A_SELECTOR),
                Arguments.of("metrics", "nan{job=\"a\"}", "Option 'metrics' entry 'nan{job=\"a\"}" + NOT_A_SELECTOR),
                Arguments.of("metrics", "bool", "Option 'metrics' entry 'bool" + NOT_A_SELECTOR),
                Arguments.of("metrics", "GROUP_LEFT", "Option 'metrics' entry 'GROUP_LEFT" + NOT_A_SELECTOR),
                Arguments.of(
                        "metrics",
                        "up{job=\"a\"} or vector(1) + b{}",
                        "Option 'metrics' entry 'up{job=\"a\"} or"
                                + " vector(1) + b{}' is not a series selector: expected ',' at position 7 of its matchers 'job=\"a\"} or"
                                + " vector(1) + b{' (matchers are label=\"value\", !=, =~ or !~, separated by commas); use the 'query'"
                                + " option for PromQL expressions"),
                Arguments.of(
                        "metrics",
                        "{}",
                        "Option 'metrics' entry '{}' selects nothing: give a metric name or at least"
                                + " one label matcher"),
                // The same series twice would double its rows.
                Arguments.of(
                        "metrics",
                        "up,up",
                        "Option 'metrics' lists the series of 'up' twice (again as 'up'); each"
                                + " entry is read once, so its rows would appear twice"),
                Arguments.of(
                        "metrics",
                        "up{job=\"a\",instance=\"b\"}, up{instance=\"b\", job='a'}",
                        "Option 'metrics'"
                                + " lists the series of 'up{job=\"a\",instance=\"b\"}' twice (again as 'up{instance=\"b\", job='a'}');"
                                + " each entry is read once, so its rows would appear twice"),
                Arguments.of(
                        "metrics",
                        "up,{__name__=\"up\"}",
                        "Option 'metrics' lists the series of 'up' twice (again as"
                                + " '{__name__=\"up\"}'); each entry is read once, so its rows would appear twice"),
                Arguments.of(
                        "labelColumns",
                        "instance,Instance",
                        "Option 'labelColumns' lists 'Instance' twice, ignoring"
                                + " case; Spark resolves column names ignoring case, so such columns could not be told apart"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("refused")
    void refusedNamingTheOption(String option, String value, String message) {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put(option, value);
        assertEquals(message, PrometheusSourceOptionsTest.errorOf(options));
    }

    static Stream<Arguments> tooManyGridPoints() {
        return Stream.of(
                Arguments.of(
                        "1970-01-01T00:00:00Z",
                        "1ms",
                        "Options 'start' (1970-01-01T00:00:00Z), 'end'"
                                + " (2023-01-24T00:00:00Z) and 'step' (1ms) make 1674518400001 grid points; one read takes at most"
                                + " 1100000000 (100000 partitions of 11000 points, Prometheus' limit per series and request): raise"
                                + " 'step' or shorten the range, and read the rest in another read"),
                Arguments.of(
                        "now-50y",
                        "1ms",
                        "Options 'start' (1973-02-05T00:00:00Z), 'end' (2023-01-24T00:00:00Z) and"
                                + " 'step' (1ms) make 1576800000001 grid points; one read takes at most 1100000000 (100000 partitions"
                                + " of 11000 points, Prometheus' limit per series and request): raise 'step' or shorten the range, and"
                                + " read the rest in another read"));
    }

    @ParameterizedTest(name = "start={0}, step={1}")
    @MethodSource("tooManyGridPoints")
    void gridPointsAreBounded(String start, String step, String message) {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put("start", start);
        options.put("step", step);
        assertEquals(message, PrometheusSourceOptionsTest.errorOf(options));
    }

    static Stream<Arguments> blankSessionConfs() {
        return Stream.of(
                Arguments.of(
                        "step", "Session conf 'spark.tributary.prometheus.step' is blank: give a value, or unset it"),
                Arguments.of(
                        "end", "Session conf 'spark.tributary.prometheus.end' is blank: give a value, or unset it"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blankSessionConfs")
    void blankSessionConfsAreRefusedNamingTheConf(String option, String message) {
        assertEquals(
                message,
                assertThrowsIae(() -> PrometheusSourceOptions.from(
                        PrometheusSourceOptionsTest.base(),
                        Map.of("spark.tributary.prometheus." + option, ""),
                        PrometheusSourceOptionsTest.NOW)));
    }

    private static String assertThrowsIae(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, call)
                .getMessage();
    }
}
