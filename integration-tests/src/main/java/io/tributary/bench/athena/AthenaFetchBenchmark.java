package io.tributary.bench.athena;

import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Issue 3's benchmark: one result of N rows x 10 mixed-type columns read through fetchMode api, csv and unload from
 * the Athena emulator and S3Proxy, in one run. For each mode it prints the time the query took (the emulator's
 * work: DuckDB, Athena's CSV or UNLOAD's Parquet into S3), the time Spark took to read every row afterwards, rows/s
 * of that read, and the read's ratio to api. Figures, not assertions.
 *
 * <p>usage: AthenaFetchBenchmark [rows]   (default 1000000)
 */
public final class AthenaFetchBenchmark {
  private static final String QUERY = "SELECT * FROM wide";

  private AthenaFetchBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
    try (S3Server s3 = S3Server.start()) {
      s3.createBucket("bench-results");
      try (AthenaEmulator athena = AthenaEmulator.start(s3, "s3://bench-results/queries/")) {
        athena.sql("CREATE SCHEMA bench");
        athena.sql("CREATE TABLE bench.wide AS SELECT i AS id, i % 3 = 0 AS flag, CAST(i % 100 AS TINYINT) AS small,"
            + " CAST(i % 100000 AS INTEGER) AS num, i * 1.25 AS ratio, CAST(i AS DECIMAL(18,2)) / 100 AS amount,"
            + " 'customer-' || (i % 50000) AS name, DATE '2020-01-01' + CAST(i % 1500 AS INTEGER) AS day,"
            + " TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i) AS at,"
            + " CASE WHEN i % 10 = 0 THEN NULL WHEN i % 10 = 1 THEN '' ELSE 'note \"' || i || '\", ok' END AS note"
            + " FROM range(" + rows + ") t(i)");
        SparkSession spark = SparkSession.builder().appName("athena-fetch-benchmark")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
            .config("spark.sql.session.timeZone", "UTC").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Map<String, String> options = athena.readOptions(s3, "bench");
        options.put("pollInterval", "50ms");
        options.put("csvSplitSize", "16m");

        read(spark, options, "csv", rows); // warm-up: JIT and SDK class loading, not reported
        System.out.printf("%nAthena fetch modes: %,d rows x 10 columns, local[2], emulator + S3Proxy on loopback%n",
            rows);
        System.out.printf("%-8s %10s %10s %10s %14s %10s%n", "mode", "query s", "read s", "total s", "read rows/s",
            "vs api");
        double apiRead = 0;
        Map<String, Double> readRates = new LinkedHashMap<>();
        for (String mode : new String[] {"api", "csv", "unload"}) {
          double[] times = read(spark, options, mode, rows);
          if (mode.equals("api")) {
            apiRead = times[1];
          }
          readRates.put(mode, rows / times[1]);
          System.out.printf("%-8s %10.2f %10.2f %10.2f %,14.0f %9.1fx%n", mode, times[0], times[1],
              times[0] + times[1], rows / times[1], apiRead / times[1]);
        }
        // The emulator answers GetQueryResults on loopback with no service time, far faster than Athena does; the
        // published API rates (FACTS.md) put the text and Parquet reads in proportion to the real service.
        for (double[] published : new double[][] {{1_920_000, 506}, {5_000_000, 745}}) {
          double rate = published[0] / published[1];
          System.out.printf("vs Athena's published API rate of %,.0f rows/s (%,.0f rows in %.0f s): csv %.0fx, unload"
              + " %.0fx%n", rate, published[0], published[1], readRates.get("csv") / rate,
              readRates.get("unload") / rate);
        }
        spark.stop();
      }
    }
  }

  /**
   * Seconds for load() (the query runs) and for count(). A user's query is never pruned, so count() decodes every
   * value of every row, through one read.
   */
  private static double[] read(SparkSession spark, Map<String, String> options, String mode, long rows) {
    long start = System.nanoTime();
    Dataset<Row> frame = spark.read().format("athena").options(options).option("fetchMode", mode)
        .option("query", QUERY).load();
    long loaded = System.nanoTime();
    long count = frame.count();
    long read = System.nanoTime();
    if (count != rows) {
      throw new IllegalStateException(mode + " returned " + count + " rows, expected " + rows);
    }
    return new double[] {(loaded - start) / 1e9, (read - loaded) / 1e9};
  }
}
