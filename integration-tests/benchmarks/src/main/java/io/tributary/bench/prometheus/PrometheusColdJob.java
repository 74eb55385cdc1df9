package io.tributary.bench.prometheus;

import io.tributary.testing.prometheus.NodeMemoryHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * One cold job of the Prometheus benchmark, the whole of a fresh process as a user's spark-submit job would be: a
 * session, one read or write, stop. {@link PrometheusBenchmark} launches it through
 * {@link io.tributary.bench.FreshProcessRun} and checks what it wrote afterwards.
 *
 * <p>Arguments: {@code JOB URL END OUT SAMPLES}, the history running from 2023-01-01T00:00:00Z to END (exclusive)
 * with SAMPLES node_memory samples; OUT is a Delta table, or for {@code count} a file that receives the count.
 */
public final class PrometheusColdJob {
  static final String LONG = "long-delta";
  static final String WIDE = "wide-delta";
  static final String COUNT = "count";
  static final String FLOOR = "floor-delta";
  /** In the order they run; the floor last, as the connector's share is the first minus the last. */
  static final List<String> JOBS = List.of(LONG, WIDE, COUNT, FLOOR);

  private static final Map<String, String> DESCRIPTIONS = Map.of(
      LONG, "(a) format(\"prometheus\") long layout into Delta",
      WIDE, "(a) format(\"prometheus\") wide layout into Delta",
      COUNT, "(a) format(\"prometheus\") count-only read",
      FLOOR, "(f) the same rows generated in memory (spark.range) into Delta: the floor");

  private PrometheusColdJob() {}

  static String describe(String job) {
    return DESCRIPTIONS.get(job);
  }

  /** Rows the job writes or counts: one per sample, in wide layout one per timestamp of the four metrics. */
  static long expectedRows(String job, long samples) {
    return job.equals(WIDE) ? samples / NodeMemoryHistory.NODE_MEMORY_METRICS.size() : samples;
  }

  static long countWritten(Path out) {
    try {
      return Long.parseLong(Files.readString(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new IllegalStateException("The cold count-only job left no count in " + out, e);
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 5 || !JOBS.contains(args[0])) {
      throw new IllegalArgumentException("Arguments: JOB URL END OUT SAMPLES, JOB one of " + JOBS + "; got "
          + List.of(args));
    }
    String job = args[0];
    String url = args[1];
    Instant end = Instant.parse(args[2]);
    Path out = Path.of(args[3]);
    long samples = Long.parseLong(args[4]);
    SparkSession spark = SparkSession.builder().appName("tributary-bench-prometheus-" + job).getOrCreate();
    String metrics = String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS);
    switch (job) {
      case LONG -> intoDelta(PrometheusBenchmark.longLayout(
          PrometheusBenchmark.wholeHistory(spark, url, metrics, end)), out);
      case WIDE -> intoDelta(PrometheusBenchmark.wideLayout(spark, url, metrics, end), out);
      case COUNT -> Files.writeString(out,
          Long.toString(PrometheusBenchmark.wholeHistory(spark, url, metrics, end).count()));
      default -> intoDelta(generatedLongLayout(spark, samples, end), out);
    }
    spark.stop();
  }

  /**
   * {@code samples} rows with the long layout's columns and types (metric, instance, group, timestamp, value), the
   * four metrics of each instance at each 15 s step, made in memory: what writing such rows costs without reading.
   */
  private static Dataset<Row> generatedLongLayout(SparkSession spark, long samples, Instant end) {
    int metricCount = NodeMemoryHistory.NODE_MEMORY_METRICS.size();
    long steps = (end.getEpochSecond() - PrometheusBenchmark.START.getEpochSecond()) / 15;
    long instances = Math.max(1, samples / metricCount / Math.max(1, steps));
    return spark.range(samples).selectExpr(
        "element_at(array('" + String.join("','", NodeMemoryHistory.NODE_MEMORY_METRICS) + "'), cast(id % "
            + metricCount + " AS INT) + 1) AS metric",
        "format_string('node-%02d:9100', cast((id DIV " + metricCount + ") % " + instances + " AS INT)) AS instance",
        "format_string('group-%d', cast((id DIV " + metricCount + ") % " + instances + " % 4 AS INT)) AS group",
        "timestamp_seconds(" + PrometheusBenchmark.START.getEpochSecond() + " + (id DIV " + metricCount * instances
            + ") * 15) AS timestamp",
        "cast((id * 7919) % 1000003 AS DOUBLE) * 4096 AS value");
  }

  private static void intoDelta(Dataset<Row> rows, Path table) {
    rows.write().format("delta").mode(SaveMode.Overwrite).save(table.toString());
  }
}
