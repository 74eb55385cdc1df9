package io.tributary.athena;

import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * The Athena connector's process-wide metrics, in the JVM's default simpleclient registry (Tributary's own
 * relocated copy inside the plugin jar), which the plugin ships from every executor to the driver's
 * {@code /metrics}.
 */
final class AthenaClientMetrics {
    static final Counter CALLS = Counter.build()
            .name("tributary_athena_calls_total")
            .help("Athena API calls, retries included, by operation")
            .labelNames("operation")
            .register();
    static final Counter THROTTLED_RETRIES = Counter.build()
            .name("tributary_athena_throttled_retries_total")
            .help("Athena API calls retried because Athena throttled them")
            .register();
    static final Counter QUERIES = Counter.build()
            .name("tributary_athena_queries_total")
            .help("Athena queries run, by how they ended: succeeded, failed, cancelled or stopped")
            .labelNames("outcome")
            .register();
    static final Histogram QUERY_SECONDS = Histogram.build()
            .name("tributary_athena_query_duration_seconds")
            .help("From starting an Athena query to its end, as the driver saw it by polling")
            .buckets(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800)
            .register();
    static final Counter ROWS = Counter.build()
            .name("tributary_athena_rows_total")
            .help("Rows read from Athena results, by fetch mode")
            .labelNames("fetch_mode")
            .register();
    static final Counter S3_BYTES = Counter.build()
            .name("tributary_athena_s3_bytes_total")
            .help("Bytes of result files fetched from S3 by ranged GETs")
            .register();

    private AthenaClientMetrics() {}

    /** Adds what one partition reader read, once, when it closes (a counter update per row would cost more). */
    static void recordRows(FetchMode mode, long rows) {
        ROWS.labels(mode.optionValue()).inc(rows);
    }
}
