package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.LessThan;
import org.junit.jupiter.api.Test;

class PrometheusFilterPushdownTest {
    private static PrometheusFilterPushdown pushdown(Map<String, String> extra, Filter... filters) {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put("metrics", "node_memory_Active_bytes,node_memory_Cached_bytes{job=\"node\"},{job=\"x\"}");
        options.put("end", "2023-01-01T01:00:00Z");
        options.put("step", "1m");
        options.put("labelColumns", "instance,group");
        options.putAll(extra);
        options.values().removeIf(String::isEmpty);
        PrometheusSourceOptions parsed = PrometheusSourceOptionsTest.parse(options);
        TimeGrid grid = new TimeGrid(
                parsed.start().toEpochMilli(),
                parsed.end().toEpochMilli(),
                parsed.step().toMillis());
        PrometheusFilterPushdown pushdown = new PrometheusFilterPushdown(parsed, grid);
        pushdown.push(filters);
        return pushdown;
    }

    @Test
    void timestampComparisonsNarrowTheRange() {
        PrometheusFilterPushdown pushdown = pushdown(
                Map.of(),
                new GreaterThanOrEqual("timestamp", Timestamp.from(Instant.parse("2023-01-01T00:10:30Z"))),
                new LessThan("timestamp", Instant.parse("2023-01-01T00:20:00Z")));
        assertEquals(11, pushdown.firstIndex(), "00:11 is the first grid point at or after 00:10:30");
        assertEquals(20, pushdown.endIndex(), "00:19 is the last grid point before 00:20");
        assertEquals(2, pushdown.pushed().size());
    }

    @Test
    void equalityOnTimestampReadsOnePoint() {
        PrometheusFilterPushdown pushdown =
                pushdown(Map.of(), new EqualTo("timestamp", Instant.parse("2023-01-01T00:30:00Z")));
        assertEquals(30, pushdown.firstIndex());
        assertEquals(31, pushdown.endIndex());
    }

    @Test
    void labelFiltersBecomeMatchersWithQuoting() {
        PrometheusFilterPushdown pushdown = pushdown(
                Map.of(),
                new EqualTo("instance", "node-01:9100"),
                new In("group", new Object[] {"g\"1", "g.2"}),
                new IsNotNull("instance"));
        assertEquals(
                List.of(
                        "node_memory_Active_bytes{instance=\"node-01:9100\",group=~\"g\\\"1|g\\\\.2\"}",
                        "node_memory_Cached_bytes{job=\"node\",instance=\"node-01:9100\",group=~\"g\\\"1|g\\\\.2\"}",
                        "{job=\"x\",instance=\"node-01:9100\",group=~\"g\\\"1|g\\\\.2\"}"),
                pushdown.queries());
        assertEquals(2, pushdown.pushed().size(), "IsNotNull is not pushed");
    }

    @Test
    void metricFiltersDropSelectorsOrAddNameMatchers() {
        PrometheusFilterPushdown pushdown =
                pushdown(Map.of(), new In("metric", new Object[] {"node_memory_Cached_bytes", "other"}));
        assertEquals(
                List.of(
                        "node_memory_Cached_bytes{job=\"node\"}",
                        "{job=\"x\",__name__=~\"node_memory_Cached_bytes|other\"}"),
                pushdown.queries());

        PrometheusFilterPushdown disjoint = pushdown(
                Map.of(),
                new EqualTo("metric", "node_memory_Active_bytes"),
                new EqualTo("metric", "node_memory_Cached_bytes"));
        assertEquals(List.of(), disjoint.queries(), "contradictory filters read nothing");
    }

    @Test
    void aPromqlQueryIsNeverRewritten() {
        PrometheusFilterPushdown pushdown =
                pushdown(Map.of("metrics", "", "query", "sum by (instance) (up)"), new EqualTo("instance", "a"));
        assertEquals(List.of("sum by (instance) (up)"), pushdown.queries());
        assertEquals(0, pushdown.pushed().size());
    }
}
