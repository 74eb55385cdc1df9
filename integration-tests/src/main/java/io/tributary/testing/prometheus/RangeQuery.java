package io.tributary.testing.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code /api/v1/query_range} request: PromQL, start and end (both included by Prometheus), step.
 *
 * @param query PromQL, e.g. {@code node_memory_MemFree_bytes}
 */
public record RangeQuery(String query, Instant start, Instant end, Duration step) {
    public RangeQuery {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("query must be non-empty PromQL");
        }
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("end (" + end + ") must not be before start (" + start + ")");
        }
        if (step.toMillis() <= 0) {
            throw new IllegalArgumentException("step must be positive, got " + step);
        }
    }

    /**
     * The requests of the Python download scripts Tributary replaces: for each metric, one query per day
     * {@code [d, d + 1 day]} for {@code d = start, start + 1 day, ... < end}. As in those scripts, adjacent days share their boundary point.
     */
    public static List<RangeQuery> metricByDay(List<String> metrics, Instant start, Instant end, Duration step) {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end (" + end + ") must be after start (" + start + ")");
        }
        List<RangeQuery> queries = new ArrayList<>();
        for (String metric : metrics) {
            for (Instant day = start; day.isBefore(end); day = day.plus(Duration.ofDays(1))) {
                queries.add(new RangeQuery(metric, day, day.plus(Duration.ofDays(1)), step));
            }
        }
        return queries;
    }

    /** The request's form parameters, e.g. {@code query=up&start=1672531200&end=1672617600&step=15}. */
    public String encodedParameters() {
        return "query=" + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8)
                + "&start=" + PrometheusTime.seconds(start) + "&end=" + PrometheusTime.seconds(end)
                + "&step=" + PrometheusTime.seconds(step);
    }
}
