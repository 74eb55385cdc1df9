package io.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession of an integration-test JVM: local[2], UI off, few shuffle partitions, UTC, Delta (few
 * snapshot partitions) and the Tributary plugin (metrics and Arrow Flight, SQL commands allowed, on free loopback
 * ports) enabled.
 * Tributary comes only from the shaded plugin jar on the test classpath, as with spark-submit's jars option.
 */
public final class SparkTestSession {
    private static SparkSession session;
    private static String flightToken;

    private SparkTestSession() {}

    /** The port the plugin's {@code /metrics} endpoint is bound to. */
    public static int metricsPort() {
        return Integer.parseInt(get().sparkContext().getConf().get("spark.tributary.metrics.boundPort"));
    }

    /** The port of the driver's Arrow Flight service. */
    public static int flightPort() {
        return Integer.parseInt(get().sparkContext().getConf().get("spark.tributary.flight.boundPort"));
    }

    /** The Flight service's bearer token (random per test JVM, passed through a token file). */
    public static synchronized String flightToken() {
        get();
        return flightToken;
    }

    public static synchronized SparkSession get() {
        if (session == null) {
            Path tokenFile;
            try {
                flightToken = UUID.randomUUID().toString();
                tokenFile = Files.createTempFile("tributary-flight-token", "");
                tokenFile.toFile().deleteOnExit();
                Files.writeString(tokenFile, flightToken + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            session = SparkSession.builder()
                    .master("local[2]")
                    .appName("tributary-integration-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                    .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                    // Delta rebuilds a table's snapshot in 50 tasks by default; for test tables 2 do, and every
                    // streaming
                    // micro-batch into Delta rebuilds one.
                    .config("spark.databricks.delta.snapshotPartitions", "2")
                    .config("spark.plugins", "io.tributary.spark.TributaryPlugin")
                    .config("spark.tributary.metrics.host", "127.0.0.1")
                    .config("spark.tributary.metrics.port", "0")
                    .config("spark.tributary.metrics.pushInterval", "1s")
                    .config("spark.tributary.flight.enabled", "true")
                    .config("spark.tributary.flight.host", "127.0.0.1")
                    .config("spark.tributary.flight.port", "0")
                    .config("spark.tributary.flight.tokenFile", tokenFile.toString())
                    .config("spark.tributary.flight.sql.enabled", "true")
                    .config("spark.tributary.flight.tables", "flight_conf_view")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }
}
