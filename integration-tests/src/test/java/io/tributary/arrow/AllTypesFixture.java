package io.tributary.arrow;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * arrow-bridge's shared all-types table and its canonical-value checks (package-private in its test jar), for the
 * integration tests of other packages that serve or move that table.
 */
public final class AllTypesFixture {
    private AllTypesFixture() {}

    /** Every type the Arrow bridge writes, nested and null-heavy, in four partitions of which two are empty. */
    public static Dataset<Row> dataFrame(SparkSession spark) {
        return AllTypesData.dataFrame(spark);
    }

    /** Column name to pyarrow type, as the Arrow export writes them (maps as lists of key/value structs). */
    public static Map<String, String> exportedPyarrowTypes() {
        return AllTypesData.EXPORTED_PYARROW_TYPES;
    }

    /** What Spark holds for {@link #dataFrame}, in arrow_check.py's canonical form (rows by id). */
    public static JsonNode expected(SparkSession spark) throws Exception {
        return expected(dataFrame(spark));
    }

    /** What Spark holds for {@code dataset} (columns of {@link #dataFrame}), in arrow_check.py's canonical form. */
    public static JsonNode expected(Dataset<Row> dataset) throws Exception {
        SparkSession spark = dataset.sparkSession();
        String key = "spark.sql.datetime.java8API.enabled";
        String before = spark.conf().get(key);
        spark.conf().set(key, "true");
        try {
            return CanonicalRows.JSON.readTree(CanonicalRows.of(dataset.collectAsList()));
        } finally {
            spark.conf().set(key, before);
        }
    }

    /** Asserts equal canonical rows, column by column first so that a failure names the column. */
    public static void assertColumnsEqual(JsonNode expected, JsonNode actual) {
        CanonicalRows.assertColumnsEqual(expected, actual);
    }

    /** The directory of arrow_check.py, whose {@code table_result} and {@code polars_result} canonicalise rows. */
    public static Path arrowCheckDirectory() {
        return Path.of("../arrow-bridge/src/test/python").toAbsolutePath().normalize();
    }
}
