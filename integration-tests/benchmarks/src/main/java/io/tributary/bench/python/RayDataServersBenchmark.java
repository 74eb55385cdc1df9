package io.tributary.bench.python;

import io.tributary.bench.BenchSettings;
import io.tributary.python.PythonTransform;
import io.tributary.python.PythonTransformOptions;
import io.tributary.testing.TestPython;
import io.tributary.testing.ray.RayCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Counting a cached input of rows x (long, long, string) in Python, three ways: {@code @ray.remote} tasks of a
 * local Ray cluster pulling {@code data_servers()} (as the tutorial's {@code count_worker}: rows as dicts, and as
 * Arrow batches), the script reading its input locally ({@code collect()}), and an Arrow file round trip (the
 * input written with {@code format("arrow")}, then counted by a {@code python3} reading the files with pyarrow).
 * Arguments: {@code [rows] [python]}. Prints each way's median of {@code BENCH_ROUNDS} (3) runs after one warm-up.
 */
public final class RayDataServersBenchmark {
    static final StructType COUNT = StructType.fromDDL("count BIGINT");
    static final String RAY_HEADER = String.join(
            "\n",
            "import ray",
            "from pyjava import rayfix",
            "from pyjava.api.mlsql import RayContext",
            "from pyjava.api import data_servers",
            "ray_context = RayContext.connect(globals(), context.conf['rayAddress'])",
            "");
    static final String RAY_ROWS = RAY_HEADER
            + String.join(
                    "\n",
                    "@ray.remote",
                    "@rayfix.last",
                    "def count_worker(data_ref):",
                    "    return sum(1 for _ in RayContext.collect_from([data_ref]))",
                    "refs = ray_context.data_servers()",
                    "context.build_result([{'count': sum(ray.get([count_worker.remote(r) for r in refs]))}])",
                    "");
    /**
     * The Arrow-batch way, timing its phases inside the run: importing Ray and connecting (Ray Client, job runtime
     * environment), getting the references, and the tasks; each task times its own transfer (connect to the data
     * server, read every batch) and when it started, so scheduling shows apart from moving the data.
     */
    static final String RAY_BATCHES = String.join(
            "\n",
            "import time",
            "t0 = time.perf_counter()",
            RAY_HEADER,
            "t1 = time.perf_counter()",
            "@ray.remote",
            "def count_batches(data_ref):",
            "    import time",
            "    started, s = time.time(), time.perf_counter()",
            "    n = sum(b.num_rows for b in data_servers.batches([data_ref]))",
            "    return n, started, time.perf_counter() - s",
            "refs = ray_context.data_servers()",
            "t2 = time.perf_counter()",
            "submitted = time.time()",
            "done = ray.get([count_batches.remote(r) for r in refs])",
            "t3 = time.perf_counter()",
            "context.build_result([{'count': sum(d[0] for d in done), 'connect': t1 - t0, 'refs': t2 - t1,",
            "    'tasks': t3 - t2, 'first_start': min(d[1] for d in done) - submitted,",
            "    'last_start': max(d[1] for d in done) - submitted, 'transfer_max': max(d[2] for d in done),",
            "    'transfer_sum': sum(d[2] for d in done)}])",
            "");

    static final StructType PHASES = StructType.fromDDL("count BIGINT, connect DOUBLE, refs DOUBLE, tasks DOUBLE,"
            + " first_start DOUBLE, last_start DOUBLE, transfer_max DOUBLE, transfer_sum DOUBLE");
    static final String LOCAL_ROWS = String.join(
            "\n",
            "from pyjava.api.mlsql import RayContext",
            "ray_context = RayContext.connect(globals(), None)",
            "context.build_result([{'count': sum(1 for _ in ray_context.collect())}])",
            "");
    static final String ARROW_FILES_COUNT = String.join(
            "\n",
            "import sys, glob, pyarrow as pa",
            "print(sum(pa.ipc.open_file(f).read_all().num_rows for f in glob.glob(sys.argv[1] + '/*.arrow')))",
            "");

    private RayDataServersBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 2_000_000L;
        String python = args.length > 1 ? args[1] : TestPython.executable();
        int rounds = BenchSettings.positiveCount(System.getenv(), "BENCH_ROUNDS", 3);
        try (RayCluster ray = RayCluster.start(python, Runtime.getRuntime().availableProcessors(), 0)) {
            SparkSession spark = SparkSession.builder()
                    .appName("tributary-bench-ray")
                    .config(PythonTransformOptions.EXECUTABLE_CONF, python)
                    .config(PythonTransformOptions.DATA_SERVER_HOST_CONF, "127.0.0.1")
                    .getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            Dataset<Row> input = spark.range(0, rows, 1, 4)
                    .selectExpr("id AS a", "id * 7 AS b", "concat('value-', CAST(id AS STRING)) AS s")
                    .cache();
            System.out.printf(
                    Locale.ROOT,
                    "input: %,d rows x 3 columns (long, long, string), cached, %d partitions;"
                            + " Ray %s (%d CPUs, Ray Client); one warm-up, then the median of %d runs%n",
                    input.count(),
                    input.rdd().getNumPartitions(),
                    ray.clientAddress(),
                    Runtime.getRuntime().availableProcessors(),
                    rounds);
            Path files = Files.createTempDirectory("tributary-bench-ray");
            List<Way> ways = List.of(
                    new Way(
                            "@ray.remote count_worker over data_servers() (rows as dicts)",
                            () -> count(spark, input, RAY_ROWS, ray)),
                    new Way(
                            "@ray.remote over data_servers() (Arrow batches)",
                            () -> countWithPhases(spark, input, ray)),
                    new Way(
                            "the script's own input, collect() (rows as dicts, no Ray)",
                            () -> count(spark, input, LOCAL_ROWS, ray)),
                    new Way(
                            "Arrow file round trip: format(\"arrow\") files, pyarrow counts them",
                            () -> arrowRoundTrip(input, files.resolve("round-trip"), python)));
            for (Way way : ways) {
                way.measure(rows, rounds);
            }
            spark.stop();
        }
    }

    private static long count(SparkSession spark, Dataset<Row> input, String script, RayCluster ray) {
        return PythonTransform.of(script)
                .schema(COUNT)
                .conf("rayAddress", ray.clientAddress())
                .apply(input)
                .first()
                .getLong(0);
    }

    /** The Arrow-batch way, printing where its time went. */
    private static long countWithPhases(SparkSession spark, Dataset<Row> input, RayCluster ray) {
        long start = System.nanoTime();
        Row phases = PythonTransform.of(RAY_BATCHES)
                .schema(PHASES)
                .conf("rayAddress", ray.clientAddress())
                .apply(input)
                .first();
        double total = (System.nanoTime() - start) / 1e9;
        double script = phases.getDouble(1) + phases.getDouble(2) + phases.getDouble(3);
        System.out.printf(
                Locale.ROOT,
                "  phases: whole %.2f s = outside the script (serving job, worker, result) "
                        + "%.2f s + import ray and connect %.2f s + data_servers() %.2f s + tasks %.2f s (first task started "
                        + "%.2f s after submit, last %.2f s; transfer per task max %.2f s, sum %.2f s)%n",
                total,
                total - script,
                phases.getDouble(1),
                phases.getDouble(2),
                phases.getDouble(3),
                phases.getDouble(4),
                phases.getDouble(5),
                phases.getDouble(6),
                phases.getDouble(7));
        return phases.getLong(0);
    }

    private static long arrowRoundTrip(Dataset<Row> input, Path dir, String python)
            throws IOException, InterruptedException {
        input.write().format("arrow").mode("overwrite").save(dir.toString());
        Process process = new ProcessBuilder(python, "-c", ARROW_FILES_COUNT, dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(process.getInputStream().readAllBytes()).trim();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("counting the Arrow files failed");
        }
        return Long.parseLong(out);
    }

    /** One way of counting: checked against the row count, then timed. */
    private record Way(String label, Callable<Long> count) {
        void measure(long rows, int rounds) throws Exception {
            List<Double> seconds = new ArrayList<>();
            for (int run = 0; run <= rounds; run++) {
                long start = System.nanoTime();
                long counted = count.call();
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (counted != rows) {
                    throw new IllegalStateException(label + " counted " + counted + " rows, not " + rows);
                }
                if (run > 0) {
                    seconds.add(elapsed);
                }
            }
            List<Double> sorted = seconds.stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            System.out.printf(
                    Locale.ROOT,
                    "%-70s median %6.2f s  %,12.0f rows/s  runs %s%n",
                    label,
                    median,
                    rows / median,
                    seconds.stream()
                            .map(s -> String.format(Locale.ROOT, "%.2f", s))
                            .toList());
        }
    }
}
