package io.tributary.bench.python;

import io.tributary.bench.BenchSettings;
import io.tributary.bench.FreshProcessRun;
import io.tributary.bench.Median;
import io.tributary.bench.ProcessCpu;
import io.tributary.python.DataMode;
import io.tributary.python.PythonTransform;
import io.tributary.python.PythonTransformOptions;
import io.tributary.testing.ProjectDirectory;
import io.tributary.testing.TestPython;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The Python transform benchmark: an identity transform over a cached DataFrame (default 2 M rows x long, long,
 * string) three ways — Tributary row mode ({@code map_iter} over dicts), Tributary batch mode (pyarrow
 * RecordBatches), and Spark's built-in {@code SELECT TRANSFORM(...) USING 'python3 identity.py'} — each consumed by
 * {@code format("noop")}.
 * Also prints the floor (the cached input to noop, no transform), a second, labelled baseline whose script
 * parses the typed fields and writes them back, and CPython's own cost of row mode's per-row work with no JVM
 * ({@code cpython_row_floor.py}, once each timed round). Runs in rounds, every pipeline once a round and planned anew each
 * time: warm-up rounds ({@code BENCH_WARMUP_ROUNDS}, default 20) until the JIT has compiled Spark's per-query planning
 * code, which on 2 cores otherwise competes with the run for CPU, then timed rounds ({@code BENCH_ROUNDS}, default
 * 5) whose medians are compared. Prints rows/s, ratios, and each median run's CPU split and JIT compile time; asserts
 * nothing about speed.
 *
 * <p>Usage: {@code PythonTransformBenchmark [rows] [python]}; run it with {@code dev/bench-python}.
 */
public final class PythonTransformBenchmark {
    static final StructType SCHEMA = StructType.fromDDL("a BIGINT, b BIGINT, s STRING");
    static final String ROW_MODE = String.join(
            "\n",
            "from pyjava.api.mlsql import RayContext",
            "ray_context = RayContext.connect(globals(), None)",
            "def echo(rows):",
            "    for row in rows:",
            "        yield row",
            "ray_context.map_iter(echo)");
    static final String BATCH_MODE = String.join(
            "\n",
            "from pyjava.api.mlsql import RayContext",
            "ray_context = RayContext.connect(globals(), None)",
            "context.build_result(ray_context.collect_batches())");
    static final String IDENTITY_SCRIPT =
            String.join("\n", "import sys", "for line in sys.stdin:", "    sys.stdout.write(line)", "");
    /**
     * The second, labelled baseline: what an identity over typed columns has to do in a script transformation, parse
     * each line's fields into typed values and write them back (Spark's default row format without a SerDe: fields
     * separated by U+0001, rows by newlines). The headline ratios stay against the line copy.
     */
    static final String TYPED_IDENTITY_SCRIPT = String.join(
            "\n",
            "import sys",
            "write = sys.stdout.write",
            "for line in sys.stdin:",
            "    a, b, s = line.rstrip('\\n').split('\\x01')",
            "    a, b = int(a), int(b)",
            "    write('%d\\x01%d\\x01%s\\n' % (a, b, s))",
            "");

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final Path CPYTHON_ROW_FLOOR =
            Path.of("integration-tests/benchmarks/src/main/python/cpython_row_floor.py");
    /** The transforms' default maxRecordsPerBatch, the batch size row mode's worker sees. */
    private static final int DEFAULT_BATCH_ROWS = 10_000;

    private PythonTransformBenchmark() {}

    public static void main(String[] args) throws IOException {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 2_000_000L;
        String python = args.length > 1 ? args[1] : TestPython.executable();
        int warmupRounds = BenchSettings.positiveCount(System.getenv(), "BENCH_WARMUP_ROUNDS", 20);
        int timedRounds = BenchSettings.positiveCount(System.getenv(), "BENCH_ROUNDS", 5);
        // First, while no Spark runs in this JVM: each cold job alone on the machine.
        List<FreshProcessRun.ColdFigures> coldFigures = new ArrayList<>();
        for (int run = 0; run < BenchSettings.count(System.getenv(), "BENCH_COLD_RUNS", 1); run++) {
            coldFigures.add(coldJobs(rows, python));
        }
        SparkSession spark = session(python, "tributary-bench-python");
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> input = input(spark, rows).cache();
        System.out.printf(
                Locale.ROOT,
                "input: %,d rows x 3 columns (long, long, string), cached, %d partitions, "
                        + "local[2], %s; %d warm-up rounds, then the median of %d timed rounds, every pipeline once a "
                        + "round%n",
                input.count(),
                input.rdd().getNumPartitions(),
                python,
                warmupRounds,
                timedRounds);
        input.createOrReplaceTempView("bench_input");
        Path script = Files.createTempFile("tributary-identity", ".py");
        Files.writeString(script, IDENTITY_SCRIPT);
        Path typedScript = Files.createTempFile("tributary-typed-identity", ".py");
        Files.writeString(typedScript, TYPED_IDENTITY_SCRIPT);

        Pipeline scriptTransform = new Pipeline(
                "Spark SELECT TRANSFORM ... USING 'python3 identity.py'",
                () -> spark.sql(transformSql(python, script)));
        Pipeline typedTransform = new Pipeline(
                "Spark SELECT TRANSFORM ... USING 'python3 typed_identity.py' "
                        + "(second baseline: parses and writes back typed fields)",
                () -> spark.sql(transformSql(python, typedScript)));
        Pipeline row = new Pipeline(
                "Tributary row mode (map_iter over dicts)",
                () -> PythonTransform.of(ROW_MODE)
                        .schema(SCHEMA)
                        .dataMode(DataMode.DATA)
                        .apply(input));
        Pipeline batch = new Pipeline(
                "Tributary batch mode (pyarrow RecordBatches)",
                () -> PythonTransform.of(BATCH_MODE)
                        .schema(SCHEMA)
                        .dataMode(DataMode.DATA)
                        .apply(input));
        // What Spark alone costs here: the cached input written to noop, no transform. No transform of this input
        // can finish faster.
        Pipeline floor = new Pipeline("Spark alone: the cached input to noop, no transform (the floor)", () -> input);
        List<Pipeline> pipelines = List.of(scriptTransform, typedTransform, row, batch, floor);
        for (Pipeline pipeline : pipelines) {
            pipeline.checkRowCount(rows);
        }
        int partitions = input.rdd().getNumPartitions();
        long partitionRows = rows / partitions;
        List<Double> cpythonSeconds = new ArrayList<>();
        // Every pipeline once a round, in turn, so a change of the machine's load or of the JIT's state between
        // rounds reaches all of them alike.
        for (int round = 0; round < warmupRounds + timedRounds; round++) {
            for (Pipeline pipeline : pipelines) {
                pipeline.run(round >= warmupRounds);
            }
            if (round >= warmupRounds) {
                cpythonSeconds.add(cpythonRowSeconds(python, partitionRows));
            }
        }
        for (Pipeline pipeline : pipelines) {
            pipeline.print(rows);
        }
        Timing transform = scriptTransform.median();
        Timing rowMode = row.median();
        Timing batchMode = batch.median();
        System.out.printf(
                Locale.ROOT,
                "ratios (rows/s over Spark's script transformation): row mode %.1fx, " + "batch mode %.1fx%n",
                transform.seconds / rowMode.seconds,
                transform.seconds / batchMode.seconds);
        System.out.printf(
                Locale.ROOT,
                "ratios against the second baseline (typed_identity.py): row mode %.1fx, " + "batch mode %.1fx%n",
                typedTransform.median().seconds / rowMode.seconds,
                typedTransform.median().seconds / batchMode.seconds);
        System.out.printf(
                Locale.ROOT,
                "first runs (the first warm-up round, after only the row-count check), for "
                        + "comparison: row mode %.1fx, batch mode %.1fx%n",
                scriptTransform.first.seconds / row.first.seconds,
                scriptTransform.first.seconds / batch.first.seconds);
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                Locale.ROOT,
                "floors: row mode's CPU (JVM + Python) spread over %d cores takes %.2f s; "
                        + "Spark alone (no transform) takes %.2f s, batch mode %.2fx that%n",
                cores,
                rowMode.cpuSeconds() / cores,
                floor.median().seconds,
                batchMode.seconds / floor.median().seconds);
        double cpython = Median.of(
                cpythonSeconds.stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf(
                Locale.ROOT,
                "CPython's own per-row cost (cpython_row_floor.py, no JVM: one partition's %,d rows made dicts, through "
                        + "the same echo generator, back into pyarrow batches with pyarrow's converters): median %.3f CPU s "
                        + "(runs %s)%n",
                partitionRows,
                cpython,
                cpythonSeconds.stream()
                        .map(x -> String.format(Locale.ROOT, "%.3f", x))
                        .collect(java.util.stream.Collectors.joining(", ")));
        // The partitions run at once, one per core: with no JVM at all, row mode could take no less than CPython's
        // cost for the partitions each core runs. The JVM shares the same cores, and reading the input costs it at
        // least what Spark alone costs.
        double cpythonFloor = cpython * Math.ceil((double) partitions / cores);
        double withSpark = (cpython * partitions + floor.median().cpuSeconds()) / Math.min(cores, partitions);
        System.out.printf(
                Locale.ROOT,
                "row mode against CPython: %.2f s is %.2fx CPython's cost for the %d partition(s) each core runs "
                        + "(%.3f s); its workers' CPU %.3f s a partition is %.2fx CPython's; CPython's cost of all "
                        + "partitions plus Spark alone's CPU, spread over %d cores, is %.3f s (row mode %.2fx that)%n",
                rowMode.seconds,
                rowMode.seconds / cpythonFloor,
                (int) Math.ceil((double) partitions / cores),
                cpythonFloor,
                rowMode.childCpu / partitions,
                rowMode.childCpu / partitions / cpython,
                Math.min(cores, partitions),
                withSpark,
                rowMode.seconds / withSpark);
        coldFigures.forEach(FreshProcessRun.ColdFigures::print);
        Files.deleteIfExists(script);
        Files.deleteIfExists(typedScript);
        spark.stop();
    }

    /** The CPU seconds cpython_row_floor.py takes for {@code rows} rows in batches of the transforms' default size. */
    private static double cpythonRowSeconds(String python, long rows) throws IOException {
        Path script = ProjectDirectory.root().resolve(CPYTHON_ROW_FLOOR);
        Process process = new ProcessBuilder(
                        python, script.toString(), Long.toString(rows), Integer.toString(DEFAULT_BATCH_ROWS))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (process.waitFor() != 0) {
                throw new IllegalStateException(script + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + script + " ran", e);
        }
        return Double.parseDouble(
                output.lines().reduce((first, second) -> second).orElse(output));
    }

    /** The session of the benchmark and of its cold jobs. */
    static SparkSession session(String python, String appName) {
        return SparkSession.builder()
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config(PythonTransformOptions.EXECUTABLE_CONF, python)
                .getOrCreate();
    }

    /** {@code rows} rows of (long, long, string) in 2 partitions. */
    static Dataset<Row> input(SparkSession spark, long rows) {
        return spark.range(0, rows, 1, 2)
                .selectExpr("id AS a", "id * 7 AS b", "concat('value-', CAST(id AS STRING)) AS s");
    }

    /** Runs each {@link PythonColdJob} as a fresh process. */
    private static FreshProcessRun.ColdFigures coldJobs(long rows, String python) throws IOException {
        List<FreshProcessRun.Job> jobs = new ArrayList<>();
        for (String job : PythonColdJob.JOBS) {
            jobs.add(new FreshProcessRun.Job(PythonColdJob.describe(job), List.of(job, Long.toString(rows), python)));
        }
        return FreshProcessRun.runJobs(
                PythonColdJob.class.getName(),
                jobs,
                ProjectDirectory.root().resolve("target/bench-python"),
                "rows",
                rows);
    }

    static String transformSql(String python, Path script) {
        return "SELECT TRANSFORM(a, b, s) USING '" + python + " " + script
                + "' AS (a BIGINT, b BIGINT, s STRING) FROM bench_input";
    }

    /** One timed run: wall seconds, the CPU seconds of this JVM and its child processes, and JIT compile time. */
    private record Timing(double seconds, double jvmCpu, double childCpu, double jitSeconds) {
        double cpuSeconds() {
            return jvmCpu + childCpu;
        }
    }

    /** One way of computing the identity, with its timed runs. */
    private static final class Pipeline {
        private final String label;
        private final Supplier<Dataset<Row>> plan;
        private final List<Timing> timed = new ArrayList<>();
        private Timing first;

        Pipeline(String label, Supplier<Dataset<Row>> plan) {
            this.label = label;
            this.plan = plan;
        }

        void checkRowCount(long rows) {
            long count = plan.get().count();
            if (count != rows) {
                throw new IllegalStateException(label + " returned " + count + " rows, expected " + rows);
            }
        }

        /**
         * Plans the pipeline anew (as a user's next query would) and writes it to noop, measuring wall time, the CPU
         * of this JVM (driver and executors) and of its child processes (Tributary's Python workers, the script
         * transformation's python3), and the JIT's compile time, which on 2 cores competes with the run itself.
         */
        void run(boolean keep) {
            Dataset<Row> result = plan.get();
            ProcessCpu before = ProcessCpu.now();
            long jitBefore = JIT.getTotalCompilationTime();
            long t0 = System.nanoTime();
            result.write().format("noop").mode("overwrite").save();
            double seconds = (System.nanoTime() - t0) / 1e9;
            ProcessCpu spent = ProcessCpu.now().minus(before);
            Timing timing = new Timing(
                    seconds, spent.jvm(), spent.children(), (JIT.getTotalCompilationTime() - jitBefore) / 1e3);
            if (first == null) {
                first = timing;
            }
            if (keep) {
                timed.add(timing);
            }
        }

        Timing median() {
            List<Timing> sorted = new ArrayList<>(timed);
            sorted.sort(Comparator.comparingDouble(Timing::seconds));
            return sorted.get(sorted.size() / 2);
        }

        void print(long rows) {
            Timing median = median();
            StringBuilder runs = new StringBuilder();
            for (Timing t : timed) {
                runs.append(runs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", t.seconds));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%s: median %.2f s (runs %s; first run %.2f s) = %,.0f rows/s; CPU of "
                            + "the median run: JVM %.2f s, child processes %.2f s; JIT compiling during it %.2f s%n",
                    label,
                    median.seconds,
                    runs,
                    first.seconds,
                    rows / median.seconds,
                    median.jvmCpu,
                    median.childCpu,
                    median.jitSeconds);
        }
    }
}
