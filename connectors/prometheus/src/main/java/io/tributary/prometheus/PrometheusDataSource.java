package io.tributary.prometheus;

import java.time.Clock;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code spark.read().format("prometheus")}: Prometheus range data as a DataFrame.
 *
 * <pre>{@code
 * Dataset<Row> memory = spark.read().format("prometheus")
 *     .option("url", "http://127.0.0.1:9090")
 *     .option("metrics", "node_memory_Active_bytes,node_memory_Cached_bytes")
 *     .option("start", "2023-01-01T00:00:00Z")
 *     .option("end", "2023-01-24T00:00:00Z")
 *     .option("step", "15s")
 *     .load();
 * }</pre>
 */
public final class PrometheusDataSource implements TableProvider, DataSourceRegister {
    /**
     * Spark asks for the schema, then for the table, on the same provider instance; parsing once keeps both on
     * one "now" (the default end).
     */
    private PrometheusSourceOptions parsed;

    private Map<String, String> parsedFrom;

    @Override
    public String shortName() {
        return "prometheus";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return PrometheusSchema.of(parse(options.asCaseSensitiveMap()));
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        PrometheusSourceOptions options = parse(properties);
        return new PrometheusTable(options, PrometheusSchema.of(options));
    }

    private PrometheusSourceOptions parse(Map<String, String> options) {
        if (parsed == null || !options.equals(parsedFrom)) {
            Map<String, String> sessionConf =
                    CollectionConverters.asJava(SQLConf.get().getAllConfs());
            parsed = PrometheusSourceOptions.from(options, sessionConf, Clock.systemUTC());
            parsedFrom = Map.copyOf(options);
        }
        return parsed;
    }
}
