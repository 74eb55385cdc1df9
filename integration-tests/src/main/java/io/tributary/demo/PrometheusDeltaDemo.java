package io.tributary.demo;

import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The README's demo: generates node_memory history, starts a local Prometheus with it, reads the seed's four
 * node_memory metrics in wide layout through the plugin jar and saves them as a Delta table. Launched by
 * {@code dev/demo} through SparkSubmit with {@code --jars tributary-<version>.jar}, as a user's job would be.
 *
 * <p>Arguments: {@code [--work-dir DIR] [--instances N] [--days D]}.
 */
public final class PrometheusDeltaDemo {
  private PrometheusDeltaDemo() {}

  public static void main(String[] args) throws Exception {
    DemoArguments arguments = DemoArguments.parse(args);
    Path workDir = Files.createDirectories(arguments.workDir);
    Instant start = Instant.parse("2023-01-01T00:00:00Z");
    NodeMemoryHistory history = NodeMemoryHistory.builder()
        .instances(arguments.instances).groups(4).start(start).duration(Duration.ofDays(arguments.days))
        .build();

    step("Generating history: 4 node_memory metrics x %d instances x %d days at 15 s (%,d samples)",
        arguments.instances, arguments.days, history.totalSampleCount());
    Path openMetrics = workDir.resolve("node_memory.om");
    history.writeOpenMetrics(openMetrics);

    step("Starting Prometheus (backfilling blocks with promtool unless an identical history was loaded before)");
    long serverStarted = System.nanoTime();
    try (PrometheusServer prometheus = PrometheusServer.start(workDir.resolve("prometheus"), openMetrics)) {
      step("Prometheus ready at %s in %.1f s%s", prometheus.url(), seconds(serverStarted),
          prometheus.reusedBlocks() ? " (blocks reused)" : "");

      SparkSession spark = SparkSession.builder().appName("tributary-demo").getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Dataset<Row> memory = spark.read().format("prometheus")
          .option("url", prometheus.url())
          .option("metrics", String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS))
          .option("start", start.toString())
          .option("end", history.lastSampleTime().toString())
          .option("step", "15s")
          .option("layout", "wide")
          .option("labelColumns", "instance,group")
          .load();

      String table = workDir.resolve("delta/node_memory").toAbsolutePath().toString();
      step("Reading through format(\"prometheus\") (wide layout) into the Delta table %s", table);
      long readStarted = System.nanoTime();
      memory.write().format("delta").mode(SaveMode.Overwrite).save(table);
      double readSeconds = seconds(readStarted);

      Dataset<Row> saved = spark.read().format("delta").load(table);
      long rows = saved.count();
      long samples = rows * NodeMemoryHistory.NODE_MEMORY_METRICS.size();
      step("Wrote %,d rows (%,d samples) in %.1f s: %,.0f samples/s, %d Spark partitions",
          rows, samples, readSeconds, samples / readSeconds, memory.rdd().getNumPartitions());
      saved.orderBy("instance", "timestamp").show(5, false);
      step("Done. Delta table: %s", table);
      spark.stop();
    }
    step("Prometheus stopped");
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void step(String format, Object... values) {
    System.out.printf(Locale.ROOT, "[demo] " + format + "%n", values);
  }

  /** The demo's command line, parsed once. */
  private static final class DemoArguments {
    Path workDir = Path.of("target/demo");
    int instances = 20;
    int days = 2;

    static DemoArguments parse(String[] args) {
      DemoArguments parsed = new DemoArguments();
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("Argument " + args[i] + " needs a value");
        }
        switch (args[i]) {
          case "--work-dir": parsed.workDir = Path.of(args[i + 1]); break;
          case "--instances": parsed.instances = positive(args[i], args[i + 1]); break;
          case "--days": parsed.days = positive(args[i], args[i + 1]); break;
          default:
            throw new IllegalArgumentException("Unknown argument " + args[i]
                + "; allowed: --work-dir DIR, --instances N, --days D");
        }
      }
      return parsed;
    }

    private static int positive(String name, String value) {
      try {
        int parsed = Integer.parseInt(value);
        if (parsed > 0) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("Argument " + name + " must be a positive whole number, got " + value);
    }
  }
}
