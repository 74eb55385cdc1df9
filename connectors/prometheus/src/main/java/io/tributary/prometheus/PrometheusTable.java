package io.tributary.prometheus;

import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** A Prometheus read as a Spark table; options were parsed once by {@link PrometheusDataSource}. */
final class PrometheusTable implements SupportsRead {
    private final PrometheusSourceOptions options;
    private final StructType schema;

    PrometheusTable(PrometheusSourceOptions options, StructType schema) {
        this.options = options;
        this.schema = schema;
    }

    @Override
    public String name() {
        return "prometheus " + options.connection().displayUrl();
    }

    @Override
    public StructType schema() {
        return schema;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return Set.of(TableCapability.BATCH_READ, TableCapability.MICRO_BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
        return new PrometheusScanBuilder(options, schema);
    }
}
