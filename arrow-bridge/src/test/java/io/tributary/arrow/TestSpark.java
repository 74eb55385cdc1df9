package io.tributary.arrow;

import org.apache.spark.sql.SparkSession;

/** The one SparkSession of this module's test JVM. */
final class TestSpark {
    private static SparkSession spark;

    private TestSpark() {}

    static synchronized SparkSession get() {
        if (spark == null) {
            spark = SparkSession.builder()
                    // local[2,2]: two threads, and a failed task is retried once, as on a cluster; the retry
                    // tests need it (plain local[N] never retries).
                    .master("local[2,2]")
                    .appName("tributary-arrow-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.datetime.java8API.enabled", "true")
                    .getOrCreate();
        }
        return spark;
    }
}
