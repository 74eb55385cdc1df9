package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusConnection;
import io.tributary.prometheus.remoteread.RemoteReadMatcher;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.types.StructType;

/**
 * What a mode=raw scan reads, after pushdown: the remote-read matchers of each selector and the columns to
 * produce. Built on the driver, shipped to the executors; holds no I/O.
 */
final class RawReadPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    private final PrometheusConnection connection;
    private final List<List<RemoteReadMatcher>> queries;
    private final List<String> labelColumns;
    private final StructType readSchema;
    private final long maxSamplesPerRequest;

    RawReadPlan(
            PrometheusConnection connection,
            List<List<RemoteReadMatcher>> queries,
            List<String> labelColumns,
            StructType readSchema,
            long maxSamplesPerRequest) {
        this.connection = connection;
        this.queries = queries.stream().map(List::copyOf).toList();
        this.labelColumns = List.copyOf(labelColumns);
        this.readSchema = readSchema;
        this.maxSamplesPerRequest = maxSamplesPerRequest;
    }

    PrometheusConnection connection() {
        return connection;
    }
    /** One query per selector, each a list of matchers; all sent in one request per time range. */
    List<List<RemoteReadMatcher>> queries() {
        return queries;
    }

    List<String> labelColumns() {
        return labelColumns;
    }

    StructType readSchema() {
        return readSchema;
    }
    /** The most samples one answer may hold before its request is narrowed. */
    long maxSamplesPerRequest() {
        return maxSamplesPerRequest;
    }

    /** The queries as PromQL selectors, for EXPLAIN and error messages. */
    List<String> selectors() {
        return queries.stream()
                .map(matchers -> "{"
                        + String.join(
                                ",",
                                matchers.stream()
                                        .map(RemoteReadMatcher::toString)
                                        .toList()) + "}")
                .toList();
    }
}
