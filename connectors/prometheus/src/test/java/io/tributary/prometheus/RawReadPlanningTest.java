package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.prometheus.remoteread.RemoteReadMatcher;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.junit.jupiter.api.Test;

/** mode=raw: options, selector matchers, pushdown on a millisecond range, and the partition plan. */
class RawReadPlanningTest {
    private static final long T0 = Instant.parse("2023-01-01T00:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    private static Map<String, String> raw() {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put("mode", "raw");
        return options;
    }

    @Test
    void modeDefaultsToRangeAndParsesRaw() {
        assertEquals(
                ReadMode.RANGE,
                PrometheusSourceOptionsTest.parse(PrometheusSourceOptionsTest.base())
                        .mode());
        PrometheusSourceOptions options = PrometheusSourceOptionsTest.parse(raw());
        assertEquals(ReadMode.RAW, options.mode());
        assertEquals(10, options.maxConcurrentReads());
        Map<String, String> bad = raw();
        bad.put("mode", "instant");
        assertEquals(
                "Option 'mode' must be one of range, raw, got 'instant'", PrometheusSourceOptionsTest.errorOf(bad));
        bad = raw();
        bad.put("maxConcurrentReads", "0");
        assertEquals(true, PrometheusSourceOptionsTest.errorOf(bad).contains("'maxConcurrentReads'"));
    }

    @Test
    void rawRejectsPromqlAndWideLayoutNamingBothOptions() {
        Map<String, String> withQuery = raw();
        withQuery.remove("metrics");
        withQuery.put("query", "rate(up[5m])");
        assertEquals(
                "Option 'mode'=raw reads raw samples by remote read, which takes series selectors, not PromQL:"
                        + " use option 'metrics' instead of option 'query'",
                PrometheusSourceOptionsTest.errorOf(withQuery));
        Map<String, String> wide = raw();
        wide.put("layout", "wide");
        assertEquals(
                "Option 'layout'=wide needs mode=range (one row per step of a common grid); mode=raw returns"
                        + " layout=long",
                PrometheusSourceOptionsTest.errorOf(wide));
    }

    @Test
    void selectorsBecomeRemoteReadMatchers() {
        MetricSelector selector =
                MetricSelector.parse("metrics", "up{job=\"a\\\"b\", instance !~ 'x.*' , zone!=`c\\d`,}");
        List<RemoteReadMatcher> matchers =
                selector.remoteMatchers("metrics", List.of(LabelMatcher.in("group", List.of("g1", "g.2"))));
        assertEquals(
                "[__name__=\"up\", job=\"a\\\"b\", instance!~\"x.*\", zone!=\"c\\\\d\", group=~\"g1|g\\\\.2\"]",
                matchers.toString());
        assertEquals("a\"b", matchers.get(1).value());
        assertEquals("c\\d", matchers.get(3).value(), "back-quoted values are raw");
        assertEquals(RemoteReadMatcher.Op.NRE, matchers.get(2).op());
        assertEquals(
                "[__name__=\"up\"]",
                MetricSelector.parse("metrics", "{__name__=\"up\"}")
                        .remoteMatchers("metrics", List.of())
                        .toString());
        assertEquals(
                "[job=\"\\n\t\u00e9\"]",
                MetricSelector.parse("metrics", "{job=\"\\n\\t\\u00e9\"}")
                        .remoteMatchers("metrics", List.of())
                        .toString());
    }

    @Test
    void unparseableSelectorMatchersFailWhenOptionsAreParsed() {
        Map<String, String> options = raw();
        options.put("metrics", "up{job=node}");
        assertEquals(
                "Option 'metrics' entry 'up{job=node}' is not a series selector: expected a quoted value at"
                        + " position 4 of its matchers 'job=node' (matchers are label=\"value\", !=, =~ or !~, separated by"
                        + " commas); use the 'query' option for PromQL expressions",
                PrometheusSourceOptionsTest.errorOf(options));
    }

    @Test
    void pushdownNarrowsToWholeMillisecondsAndAddsMatchers() {
        Map<String, String> options = raw();
        options.put("metrics", "node_memory_Active_bytes,{job=\"x\"}");
        options.put("end", "2023-01-01T06:00:00Z");
        options.put("labelColumns", "instance");
        PrometheusSourceOptions parsed = PrometheusSourceOptionsTest.parse(options);
        TimeGrid grid = new TimeGrid(parsed.start().toEpochMilli(), parsed.end().toEpochMilli(), 1);
        PrometheusFilterPushdown pushdown = new PrometheusFilterPushdown(parsed, grid);
        pushdown.push(new Filter[] {
            new GreaterThan("timestamp", Timestamp.from(Instant.parse("2023-01-01T01:00:00.000500Z"))),
            new LessThanOrEqual("timestamp", Instant.parse("2023-01-01T02:00:00Z")),
            new In("instance", new Object[] {"a", "b"}),
            new EqualTo("metric", "node_memory_Cached_bytes")
        });
        assertEquals(T0 + HOUR + 1, grid.timestampMillis(pushdown.firstIndex()), "first whole ms after 01:00:00.0005");
        assertEquals(T0 + 2 * HOUR, grid.timestampMillis(pushdown.endIndex() - 1), "02:00:00 included");
        assertEquals(
                "[[job=\"x\", instance=~\"a|b\", __name__=\"node_memory_Cached_bytes\"]]",
                pushdown.remoteQueries().toString(),
                "the named selector is dropped; the nameless one gets the name");
    }

    @Test
    void autoRequestLengthFillsTheAllowedPartitions() {
        long sixHours = 6 * HOUR;
        assertEquals(
                sixHours / 4,
                RawPartitionPlanner.autoRequestMillis(T0, T0 + sixHours - 1, 10, 2),
                "two per task slot on 2 slots");
        assertEquals(
                sixHours / 10,
                RawPartitionPlanner.autoRequestMillis(T0, T0 + sixHours - 1, 10, 32),
                "never more than maxConcurrentReads");
        assertEquals(
                RawPartitionPlanner.AUTO_MAX_REQUEST_MILLIS,
                RawPartitionPlanner.autoRequestMillis(T0, T0 + 100 * 24 * HOUR, 10, 2),
                "at most a day");
    }

    @Test
    void slicesAreContiguousEndInclusiveAndAtMostMaxConcurrentReads() {
        List<RawPartition> slices = RawPartitionPlanner.plan(T0, T0 + 6 * HOUR, HOUR, 10);
        assertEquals(
                List.of(
                        new RawPartition(T0, T0 + HOUR - 1, HOUR),
                        new RawPartition(T0 + HOUR, T0 + 2 * HOUR - 1, HOUR),
                        new RawPartition(T0 + 2 * HOUR, T0 + 3 * HOUR - 1, HOUR),
                        new RawPartition(T0 + 3 * HOUR, T0 + 4 * HOUR - 1, HOUR),
                        new RawPartition(T0 + 4 * HOUR, T0 + 5 * HOUR - 1, HOUR),
                        new RawPartition(T0 + 5 * HOUR, T0 + 6 * HOUR - 1, HOUR),
                        new RawPartition(T0 + 6 * HOUR, T0 + 6 * HOUR, HOUR)),
                slices,
                "7 requests: the end instant is included, as remote read includes it");
        List<RawPartition> grouped = RawPartitionPlanner.plan(T0, T0 + 6 * HOUR, HOUR, 3);
        assertEquals(
                List.of(
                        new RawPartition(T0, T0 + 2 * HOUR - 1, HOUR),
                        new RawPartition(T0 + 2 * HOUR, T0 + 4 * HOUR - 1, HOUR),
                        new RawPartition(T0 + 4 * HOUR, T0 + 6 * HOUR, HOUR)),
                grouped,
                "3 partitions of consecutive requests, read one after the other");
        assertEquals(List.of(), RawPartitionPlanner.plan(T0 + 1, T0, HOUR, 10), "empty range, no partition");
    }

    @Test
    void aBadSelectorInRangeModeIsRefusedToo() {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put("metrics", "up{job=node}");
        assertEquals(
                "Option 'metrics' entry 'up{job=node}' is not a series selector: expected a quoted value at"
                        + " position 4 of its matchers 'job=node' (matchers are label=\"value\", !=, =~ or !~, separated by"
                        + " commas); use the 'query' option for PromQL expressions",
                PrometheusSourceOptionsTest.errorOf(options));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} ms every {1} ms")
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "100000001 | 1000 | 100001 remote-read requests of 1s",
                "253402300799999 | 1 | 253402300799999 remote-read requests of 1ms"
            })
    void tooManyRemoteReadRequestsAreRefused(long span, long requestMillis, String what) {
        assertEquals(
                "The mode=raw read would send " + what + " each; at most 100000: raise 'partitionDuration' (the"
                        + " time range of one request, up to 365d) or shorten the range between 'start' and 'end'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> RawPartitionPlanner.plan(0, span - 1, requestMillis, 10))
                        .getMessage());
    }

    @org.junit.jupiter.api.Test
    void theMostRemoteReadRequestsArePlanned() {
        assertEquals(10, RawPartitionPlanner.plan(0, 100_000_000L - 1, 1000, 10).size());
    }
}
