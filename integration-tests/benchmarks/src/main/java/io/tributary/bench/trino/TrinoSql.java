package io.tributary.bench.trino;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The SQL the benchmark sends to Trino. Every read carries a {@code "timestamp"} range predicate: Trino's
 * Prometheus connector pushes it down to the one-day chunks it needs, while without it Trino asks Prometheus for
 * every chunk of its whole maximum query range.
 */
final class TrinoSql {
    /** The Delta table the CREATE TABLE AS writes. */
    static final String DELTA_TABLE = "delta.bench.node_memory";

    private static final DateTimeFormatter TIMESTAMP_LITERAL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final List<String> metrics;
    private final String timePredicate;

    /** Reads of {@code metrics} (Prometheus metric names) over the samples at {@code start <= t < end}. */
    TrinoSql(List<String> metrics, Instant start, Instant end) {
        this.metrics = List.copyOf(metrics);
        this.timePredicate = "\"timestamp\" >= " + literal(start) + " AND \"timestamp\" < " + literal(end);
    }

    /** The samples of one metric. */
    String countOf(String metric) {
        return "SELECT count(*) FROM " + table(metric) + " WHERE " + timePredicate;
    }

    /** The samples of all metrics, in one query (Trino reads the metric tables in parallel). */
    String countAll() {
        return "SELECT count(*) FROM (" + unionAll("1") + ")";
    }

    /**
     * Every sample of all metrics into the Delta table: the {@code labels} map (which in Trino holds the metric name
     * as {@code __name__}), {@code timestamp} and {@code value}.
     */
    String createDeltaTable() {
        return "CREATE TABLE " + DELTA_TABLE + " AS " + unionAll("labels, \"timestamp\", value");
    }

    static String dropDeltaTable() {
        return "DROP TABLE IF EXISTS " + DELTA_TABLE;
    }

    /**
     * The schema of {@link #DELTA_TABLE}. Without a location: Trino's file metastore keeps managed tables in its own
     * directory and refuses a CREATE TABLE AS into a schema located elsewhere.
     */
    static String createDeltaSchema() {
        return "CREATE SCHEMA IF NOT EXISTS delta.bench";
    }

    private String unionAll(String columns) {
        return metrics.stream()
                .map(m -> "SELECT " + columns + " FROM " + table(m) + " WHERE " + timePredicate)
                .collect(Collectors.joining(" UNION ALL "));
    }

    /** Trino's Prometheus connector serves each metric as a table of the schema {@code default}. */
    private static String table(String metric) {
        if (!metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("metric must be a Prometheus metric name, got '" + metric + "'");
        }
        return "prometheus.\"default\".\"" + metric + "\"";
    }

    private static String literal(Instant instant) {
        return "TIMESTAMP '" + TIMESTAMP_LITERAL.format(instant) + " UTC'";
    }
}
