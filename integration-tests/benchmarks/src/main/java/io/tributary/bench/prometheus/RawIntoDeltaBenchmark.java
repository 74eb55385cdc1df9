package io.tributary.bench.prometheus;

import static io.tributary.bench.BenchOutput.print;

import io.tributary.bench.BenchFlags;
import io.tributary.bench.FreshProcessRun;
import io.tributary.bench.Median;
import io.tributary.bench.ProcessCpu;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Where the time of {@code mode=raw} into Delta goes, warm, in one JVM: the same columns as the Trino comparison
 * ({@code metric, labels, timestamp, value}) read by remote read into Delta; the same read into Spark's
 * {@code noop} sink (reading and building the rows, no writing); and the floor, the very same rows cached in
 * memory into Delta (what Spark and Delta cost without the source). Each runs once to warm, then the three in
 * turns for {@code --rounds} rounds, so that drift in the machine's load reaches all alike. Prints each run's wall
 * and this JVM's CPU seconds with the load average, then the medians. Profile it by passing JVM flags in
 * {@code BENCH_JAVA_OPTS} (a flight recording, for instance). Launched by {@code dev/bench-raw-delta}.
 *
 * <p>Arguments: {@code [--work-dir target/bench-raw-delta] [--instances 50] [--days 3] [--rounds 3] [--only
 * all|delta]}; {@code --only delta} runs just the read into Delta (for a profile of it alone).
 */
public final class RawIntoDeltaBenchmark {
    private RawIntoDeltaBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchFlags flags = BenchFlags.parse(args, "--work-dir", "--instances", "--days", "--rounds", "--only");
        Path work = Files.createDirectories(flags.path("--work-dir", Path.of("target/bench-raw-delta")))
                .toAbsolutePath();
        int rounds = flags.positive("--rounds", 3);
        boolean deltaOnly = flags.oneOf("--only", "all", "all", "delta").equals("delta");
        BenchHistory cached = BenchHistory.cached(flags.positive("--instances", 50), flags.positive("--days", 3));
        NodeMemoryHistory history = cached.history();
        long expected = history.nodeMemorySampleCount();
        try (PrometheusServer prometheus = cached.serve()) {
            SparkSession spark =
                    SparkSession.builder().appName("tributary-bench-raw-delta").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            try {
                Dataset<Row> raw = spark.read()
                        .format("prometheus")
                        .option("url", prometheus.url())
                        .option("metrics", String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS))
                        .option("start", BenchHistory.START.toString())
                        .option("end", history.lastSampleTime().toString())
                        .option("mode", "raw")
                        .load()
                        .select("metric", "labels", "timestamp", "value");
                Path rawDelta = work.resolve("raw");
                Path floorDelta = work.resolve("floor");
                List<Run> runs = new ArrayList<>();
                runs.add(new Run("mode=raw into Delta", () -> intoDelta(raw, rawDelta), () -> count(spark, rawDelta)));
                if (!deltaOnly) {
                    runs.add(new Run(
                            "mode=raw into noop",
                            () -> raw.write()
                                    .format("noop")
                                    .mode(SaveMode.Overwrite)
                                    .save(),
                            () -> expected));
                    Dataset<Row> inMemory = raw.persist(StorageLevel.MEMORY_ONLY());
                    check("cached rows", inMemory.count(), expected);
                    runs.add(new Run(
                            "floor: cached rows into Delta",
                            () -> intoDelta(inMemory, floorDelta),
                            () -> count(spark, floorDelta)));
                }
                for (Run run : runs) {
                    run.body.call();
                    check(run.name + " (warming)", run.rows.call(), expected);
                }
                for (int round = 1; round <= rounds; round++) {
                    for (Run run : runs) {
                        String load = FreshProcessRun.loadAverage();
                        ProcessCpu before = ProcessCpu.now();
                        long started = System.nanoTime();
                        run.body.call();
                        double wall = (System.nanoTime() - started) / 1e9;
                        double cpu = ProcessCpu.now().minus(before).jvm();
                        check(run.name, run.rows.call(), expected);
                        run.walls.add(wall);
                        run.cpus.add(cpu);
                        print(
                                "round %d: %-30s %6.2f s wall, %6.2f s CPU (load average before %s)",
                                round, run.name, wall, cpu, load);
                    }
                }
                for (Run run : runs) {
                    print(
                            "median of %d: %-30s %6.2f s wall, %6.2f s CPU",
                            rounds, run.name, Median.of(unbox(run.walls)), Median.of(unbox(run.cpus)));
                }
                print(
                        "conditions: %,d samples, %s, %d cores, driver heap %d MiB, Java %s; load average at end %s",
                        expected,
                        spark.sparkContext().master(),
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().maxMemory() >> 20,
                        System.getProperty("java.version"),
                        FreshProcessRun.loadAverage());
            } finally {
                spark.stop();
            }
        }
    }

    /** Writes {@code rows} into a fresh Delta table at {@code path}. */
    private static void intoDelta(Dataset<Row> rows, Path path) throws IOException {
        PrometheusBenchmark.deleteRecursively(path);
        rows.write().format("delta").mode(SaveMode.ErrorIfExists).save(path.toString());
    }

    private static long count(SparkSession spark, Path delta) {
        return spark.read().format("delta").load(delta.toString()).count();
    }

    private static void check(String what, long rows, long expected) {
        if (rows != expected) {
            throw new IllegalStateException(what + " handled " + rows + " rows, expected " + expected);
        }
    }

    private static double[] unbox(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private interface Body {
        void call() throws Exception;
    }

    private interface RowCount {
        long call() throws Exception;
    }

    /** One timed task: {@code body} is timed, {@code rows} (how many rows it handled) is checked after. */
    private static final class Run {
        final String name;
        final Body body;
        final RowCount rows;
        final List<Double> walls = new ArrayList<>();
        final List<Double> cpus = new ArrayList<>();

        Run(String name, Body body, RowCount rows) {
            this.name = name;
            this.body = body;
            this.rows = rows;
        }
    }
}
