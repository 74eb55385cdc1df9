package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusConnection;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * What the range and the raw (remote read) scans share: the read schema, the pushed filters, and the frame of
 * their EXPLAIN description, which names the server and the kind of auth but never credentials.
 */
abstract class PrometheusBatchScan implements Scan, Batch {
    private final StructType readSchema;
    private final PrometheusConnection connection;
    private final List<Filter> pushedFilters;

    PrometheusBatchScan(StructType readSchema, PrometheusConnection connection, List<Filter> pushedFilters) {
        this.readSchema = readSchema;
        this.connection = connection;
        this.pushedFilters = List.copyOf(pushedFilters);
    }

    @Override
    public final StructType readSchema() {
        return readSchema;
    }

    @Override
    public final Batch toBatch() {
        return this;
    }

    /**
     * {@code PrometheusScan[<mode>url=..., auth=...<details>, pushedFilters=[...], columns=...]}.
     *
     * @param mode empty, or the mode with its separator ({@code "mode=raw, "})
     * @param details what this scan reads, each entry starting with {@code ", "}
     */
    final String describe(String mode, String details) {
        return "PrometheusScan[" + mode + "url=" + connection.displayUrl()
                + ", auth=" + connection.authDescription()
                + details
                + labelsFormat()
                + ", pushedFilters="
                + pushedFilters.stream().map(Filter::toString).collect(Collectors.joining(", ", "[", "]"))
                + ", columns=" + String.join(",", readSchema.fieldNames()) + "]";
    }

    /** {@code ", labelsFormat=map|json"} when the labels column is read, else empty. */
    private String labelsFormat() {
        if (!Arrays.asList(readSchema.fieldNames()).contains(PrometheusSchema.LABELS)) {
            return "";
        }
        LabelsFormat format = readSchema.apply(PrometheusSchema.LABELS).dataType() instanceof StringType
                ? LabelsFormat.JSON
                : LabelsFormat.MAP;
        return ", " + PrometheusSourceOptions.LABELS_FORMAT + "="
                + format.name().toLowerCase(Locale.ROOT);
    }
}
