package io.tributary.bench.prometheus;

import static io.tributary.bench.BenchOutput.print;

import io.tributary.bench.BenchFlags;
import io.tributary.bench.Median;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * What the {@code labels} column costs in a layout=long write into Delta: {@code labelsFormat=map} (a Spark map
 * per row) against {@code labelsFormat=json} (one JSON text per series), and, for reference, the same rows without
 * the column. The data of the Prometheus benchmark: 4 node_memory metrics × N instances × D days at 15 s on one
 * local Prometheus. Each write runs once untimed, then {@value #TIMED_RUNS} times taking turns; prints the median,
 * samples/s, the Delta table's size on disk, and the load average before and after (the machine may be shared).
 * Launched by {@code dev/bench-labels}.
 *
 * <p>Arguments: {@code [--work-dir DIR] [--instances 50] [--days 3] [--mode range|raw]}.
 */
public final class LabelsFormatBenchmark {
    private static final Instant START = BenchHistory.START;
    private static final int TIMED_RUNS = 3;

    private LabelsFormatBenchmark() {}

    private record Variant(String name, Dataset<Row> frame, Path table) {}

    public static void main(String[] args) throws Exception {
        Arguments arguments = Arguments.parse(args);
        BenchHistory cached = BenchHistory.cached(arguments.instances, arguments.days);
        NodeMemoryHistory history = cached.history();
        Instant end = START.plus(Duration.ofDays(arguments.days)).minusSeconds(15);
        Path work = Files.createDirectories(arguments.workDir);
        print(
                "history: 4 metrics x %d instances x %d days @ 15 s = %,d samples; mode=%s, layout=long",
                arguments.instances, arguments.days, history.totalSampleCount(), arguments.mode);

        try (PrometheusServer prometheus = cached.serve()) {
            print("prometheus ready at %s%s", prometheus.url(), prometheus.reusedBlocks() ? " (blocks reused)" : "");
            SparkSession spark =
                    SparkSession.builder().appName("tributary-bench-labels").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            String metrics = String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS);
            Dataset<Row> asMap = reader(spark, prometheus.url(), metrics, arguments.mode, end)
                    .load();
            Dataset<Row> asJson = reader(spark, prometheus.url(), metrics, arguments.mode, end)
                    .option("labelsFormat", "json")
                    .load();
            List<Variant> variants = List.of(
                    new Variant("labelsFormat=map", asMap, work.resolve("delta-labels-map")),
                    new Variant("labelsFormat=json", asJson, work.resolve("delta-labels-json")),
                    new Variant(
                            "without labels (.drop(\"labels\"))",
                            asMap.drop("labels"),
                            work.resolve("delta-no-labels")));

            print("load before: %s", uptime());
            for (Variant variant : variants) {
                write(variant); // untimed: JIT, Spark's first jobs and Delta's first commit
            }
            double[][] seconds = new double[variants.size()][TIMED_RUNS];
            for (int round = 0; round < TIMED_RUNS; round++) {
                for (int k = 0; k < variants.size(); k++) {
                    seconds[k][round] = write(variants.get(k));
                }
            }
            print("load after: %s", uptime());

            print("");
            print(
                    "%-40s %12s %22s %10s %14s %12s %10s",
                    "long layout into Delta",
                    "samples",
                    "seconds (runs)",
                    "median s",
                    "samples/s",
                    "table bytes",
                    "vs map");
            double mapMedian = Median.of(seconds[0]);
            long mapBytes = 0;
            for (int k = 0; k < variants.size(); k++) {
                Variant variant = variants.get(k);
                long rows = spark.read()
                        .format("delta")
                        .load(variant.table.toString())
                        .count();
                if (rows != history.totalSampleCount()) {
                    throw new IllegalStateException(variant.name + " wrote " + rows + " rows, the history holds "
                            + history.totalSampleCount() + " samples");
                }
                long bytes = FileUtils.sizeOfDirectory(variant.table.toFile()); // Parquet files and the Delta log
                mapBytes = k == 0 ? bytes : mapBytes;
                double median = Median.of(seconds[k]);
                print(
                        "%-40s %,12d %22s %10.2f %,14.0f %,12d %4.0f%% time, %3.0f%% bytes",
                        variant.name,
                        rows,
                        runs(seconds[k]),
                        median,
                        rows / median,
                        bytes,
                        100 * median / mapMedian,
                        100.0 * bytes / mapBytes);
            }
            print(
                    "Spark partitions: %d; master %s",
                    asMap.rdd().getNumPartitions(), spark.sparkContext().master());
            spark.stop();
        }
    }

    private static DataFrameReader reader(SparkSession spark, String url, String metrics, String mode, Instant end) {
        return spark.read()
                .format("prometheus")
                .option("url", url)
                .option("metrics", metrics)
                .option("mode", mode)
                .option("start", START.toString())
                .option("end", end.toString())
                .option("step", "15s")
                .option("labelColumns", "instance,group");
    }

    /** Writes the variant's rows into a fresh Delta table; returns the seconds taken. */
    private static double write(Variant variant) throws IOException {
        FileUtils.deleteDirectory(variant.table.toFile());
        long started = System.nanoTime();
        variant.frame.write().format("delta").mode(SaveMode.Overwrite).save(variant.table.toString());
        return (System.nanoTime() - started) / 1e9;
    }

    private static String uptime() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("uptime").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        process.waitFor();
        return output;
    }

    private static String runs(double[] seconds) {
        List<String> texts = new ArrayList<>();
        for (double s : seconds) {
            texts.add(String.format(Locale.ROOT, "%.2f", s));
        }
        return String.join(" / ", texts);
    }

    private static final class Arguments {
        Path workDir;
        int instances;
        int days;
        String mode;

        static Arguments parse(String[] args) {
            BenchFlags flags = BenchFlags.parse(args, "--work-dir", "--instances", "--days", "--mode");
            Arguments parsed = new Arguments();
            parsed.workDir = flags.path("--work-dir", Path.of("target/bench-labels"));
            parsed.instances = flags.positive("--instances", 50);
            parsed.days = flags.positive("--days", 3);
            parsed.mode = flags.oneOf("--mode", "range", "range", "raw");
            return parsed;
        }
    }
}
