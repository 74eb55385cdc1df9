package io.tributary.athena;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code spark.read.format("athena")}: Athena query results as a DataFrame.
 *
 * <pre>{@code
 * Dataset<Row> logs = spark.read().format("athena")
 *     .option("query", "SELECT * FROM logs WHERE day = '2023-01-01'")
 *     .option("database", "andie_database")
 *     .option("region", "eu-west-1")
 *     .option("outputLocation", "s3://bucket/prefix/")
 *     .load();
 * }</pre>
 */
public final class AthenaDataSource implements TableProvider, DataSourceRegister {
    /**
     * Spark calls inferSchema and then getTable on the same provider instance; keeping the table made for the schema
     * means the query that produced the schema is the one that is read.
     */
    private AthenaTable inferred;

    @Override
    public String shortName() {
        return "athena";
    }

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        inferred = new AthenaTable(parse(options.asCaseSensitiveMap()), null);
        return inferred.schema();
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        if (inferred != null && inferred.schema() == schema) {
            return inferred;
        }
        return new AthenaTable(parse(properties), schema);
    }

    @Override
    public boolean supportsExternalMetadata() {
        return true;
    }

    private static AthenaSourceOptions parse(Map<String, String> options) {
        Map<String, String> sessionConf = SparkSession.getActiveSession().isDefined()
                ? CollectionConverters.asJava(
                        SparkSession.getActiveSession().get().conf().getAll())
                : Map.of();
        return AthenaSourceOptions.from(options, sessionConf);
    }
}
