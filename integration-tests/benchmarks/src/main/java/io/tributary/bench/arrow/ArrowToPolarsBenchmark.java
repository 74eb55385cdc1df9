package io.tributary.bench.arrow;

import io.tributary.arrow.ArrowExport;
import io.tributary.bench.BenchSettings;
import io.tributary.bench.FreshProcessRun;
import io.tributary.bench.Median;
import io.tributary.bench.ProcessCpu;
import io.tributary.serving.PartitionTicket;
import io.tributary.testing.ProjectDirectory;
import io.tributary.testing.TestPython;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Arrow benchmark: a cached DataFrame (default 10 M rows x 20 columns: ints, doubles, strings, timestamps) into
 * a Polars DataFrame in a Python process, each way timed from the cached DataFrame to the Polars frame:
 * (a) {@code format("arrow")} + {@code pl.read_ipc(memory_map=True)}, (b) Spark's Parquet writer +
 * {@code pl.read_parquet}, (c) {@link ArrowExport} on the driver streaming into Python's stdin, (f) the plugin's Arrow
 * Flight service read with {@code pyarrow.flight} and {@code pl.from_arrow}. Then the way back:
 * Spark reading the files of (a) and (b) into noop, (d) and (e). Prints seconds and ratios; it asserts nothing about
 * speed.
 *
 * <p>Usage: {@code ArrowToPolarsBenchmark [rows] [workDir] [arrow-only]}, Python from
 * {@link TestPython}; run it with {@code dev/bench-arrow}.
 */
public final class ArrowToPolarsBenchmark {
    private static final String LOAD_FILES = String.join(
            "\n",
            "import glob, sys, time, polars as pl",
            "t = time.perf_counter()",
            "kind, d = sys.argv[1], sys.argv[2]",
            "if kind == 'arrow':",
            "    df = pl.concat([pl.read_ipc(f, memory_map=True) for f in sorted(glob.glob(d + '/*.arrow'))])",
            "elif kind == 'parquet':",
            "    df = pl.read_parquet(d + '/*.parquet')",
            "elif kind == 'flight':",
            "    import pyarrow as pa, pyarrow.flight as fl",
            "    token = open(sys.argv[3], 'rb').read().strip()",
            "    auth = fl.FlightCallOptions(headers=[(b'authorization', b'Bearer ' + token)])",
            "    info = fl.connect(d).get_flight_info(fl.FlightDescriptor.for_path('bench'), auth)",
            "    t_info, cpu_info = time.perf_counter(), time.process_time()",
            "    from concurrent.futures import ThreadPoolExecutor",
            "    def fetch(e):",
            "        s = time.perf_counter()",
            "        reader = fl.connect(e.locations[0]).do_get(e.ticket, auth).to_reader()",
            "        return [pl.from_arrow(b) for b in reader], time.perf_counter() - s",
            "    with ThreadPoolExecutor(len(info.endpoints)) as pool:",
            "        fetched = list(pool.map(fetch, info.endpoints))",
            "    t_get, cpu_get = time.perf_counter(), time.process_time()",
            "    df = pl.concat([d for f in fetched for d in f[0]], rechunk=False)",
            "    import resource",
            "    usage = resource.getrusage(resource.RUSAGE_SELF)",
            "    print('flight phases: GetFlightInfo %.2f s, DoGets with pl.from_arrow of each batch %.2f s (each %s s; '",
            "        'Python CPU %.2f s), pl.concat %.2f s; the Python process: user %.2f s, system %.2f s, '",
            "        '%d minor page faults' % (t_info - t, t_get - t_info, [round(f[1], 2) for f in fetched],",
            "        cpu_get - cpu_info, time.perf_counter() - t_get, usage.ru_utime, usage.ru_stime, usage.ru_minflt),",
            "        file=sys.stderr)",
            "else:",
            "    df = pl.read_ipc_stream(sys.stdin.buffer)",
            "print(df.height, df.width, round(time.perf_counter() - t, 3), round(time.process_time(), 3))");

    private static final Path CLIENT_FLOOR =
            Path.of("integration-tests/benchmarks/src/main/python/flight_client_floor.py");
    private static final TaskCpu TASK_CPU = new TaskCpu();

    private ArrowToPolarsBenchmark() {}

    /** Sums the executor CPU time of every finished task (the driver runs them in local mode). */
    private static final class TaskCpu extends SparkListener {
        private final AtomicLong nanos = new AtomicLong();

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            if (taskEnd.taskMetrics() != null) {
                nanos.addAndGet(taskEnd.taskMetrics().executorCpuTime());
            }
        }

        double seconds() {
            return nanos.get() / 1e9;
        }
    }

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 10_000_000L;
        Path work = args.length > 1
                ? Path.of(args[1])
                : Path.of(System.getProperty("java.io.tmpdir"), "tributary-bench-arrow");
        String python = TestPython.executable();
        // "arrow-only" runs the baseline and (a) alone: quick turns while profiling the writer; "flight-only" runs
        // (a), (b) and (f): the Flight read beside the two file routes it is compared with.
        boolean arrowOnly = args.length > 2 && args[2].equals("arrow-only");
        boolean flightOnly = args.length > 2 && args[2].equals("flight-only");
        Files.createDirectories(work);
        // First, while no Spark runs in this JVM: the file ways, the Flight read and the floor, each as one fresh
        // process.
        List<FreshProcessRun.ColdFigures> coldFigures = new ArrayList<>();
        for (int run = 0; run < (arrowOnly ? 0 : BenchSettings.count(System.getenv(), "BENCH_COLD_RUNS", 1)); run++) {
            coldFigures.add(coldJobs(rows, work.resolve("cold"), python));
        }

        // (f) reads through the plugin's Arrow Flight service.
        Path flightToken = work.resolve("flight-token");
        SparkSession spark = withFlight(
                        SparkSession.builder()
                                .appName("tributary-bench-arrow")
                                .config("spark.ui.enabled", "false")
                                .config("spark.sql.shuffle.partitions", "4")
                                .config("spark.sql.session.timeZone", "UTC"),
                        flightToken)
                .getOrCreate();
        // Task CPU time is printed beside wall time: other processes sharing the cores inflate wall time far more.
        spark.sparkContext().addSparkListener(TASK_CPU);
        Dataset<Row> df = data(spark, rows).cache();
        long t0 = System.nanoTime();
        long count = df.count();
        System.out.printf(
                Locale.ROOT,
                "cached %,d rows x %d columns in %d partitions: %.2f s%n",
                count,
                df.columns().length,
                df.rdd().getNumPartitions(),
                seconds(t0));

        Path arrowDir = work.resolve("arrow");
        Path parquetDir = work.resolve("parquet");
        // BENCH_REPEAT=n (arrow-only and flight-only runs) repeats the ways in turns, so that on a machine shared with
        // other work each ratio can be judged from several runs. BENCH_WARMUP_ROUNDS=w runs w rounds before them,
        // printed as warm-up: the first reads in a JVM also pay for compiling the paths and filling the memory pools,
        // which a long-running application serving tables pays once.
        boolean rounds = arrowOnly || flightOnly;
        int warmups = rounds ? BenchSettings.count(System.getenv(), "BENCH_WARMUP_ROUNDS", 0) : 0;
        int repeats = rounds ? BenchSettings.positiveCount(System.getenv(), "BENCH_REPEAT", 1) : 1;
        double[] timedA = new double[repeats];
        double[] timedB = new double[repeats];
        double[] timedF = new double[repeats];
        double a = 0;
        for (int r = -warmups; r < repeats; r++) {
            System.out.printf(
                    Locale.ROOT,
                    r < 0 ? "warm-up round %d of %d%n" : "timed round %d of %d%n",
                    r < 0 ? r + warmups + 1 : r + 1,
                    r < 0 ? warmups : repeats);
            // Baseline: what any writer pays to scan the cached DataFrame and produce rows.
            t0 = System.nanoTime();
            double cpu0 = TASK_CPU.seconds();
            df.write().format("noop").mode("overwrite").save();
            System.out.printf(
                    Locale.ROOT,
                    "baseline: scanning the cache with format(\"noop\"): %.2f s (task CPU %.2f s)%n",
                    seconds(t0),
                    TASK_CPU.seconds() - cpu0);
            a = timeFiles(
                    "(a) format(\"arrow\") + pl.read_ipc(memory_map=True)",
                    python,
                    "arrow",
                    arrowDir,
                    () -> df.write().format("arrow").mode("overwrite").save(arrowDir.toString()),
                    rows);
            if (r >= 0) {
                timedA[r] = a;
            }
            if (arrowOnly) {
                continue;
            }
            double b = timeFiles(
                    "(b) Spark Parquet + pl.read_parquet",
                    python,
                    "parquet",
                    parquetDir,
                    () -> df.write().mode("overwrite").parquet(parquetDir.toString()),
                    rows);
            double c = flightOnly
                    ? Double.NaN
                    : timeStream("(c) ArrowExport on the driver, streamed to Python", python, df, rows);
            double f = timeFlight(
                    "(f) Arrow Flight (pyarrow.flight) + pl.from_arrow", python, df, rows, spark, flightToken);
            System.out.printf(
                    Locale.ROOT,
                    "ratios: (b)/(a) = %.2f, (c)/(a) = %.2f, (f)/(a) = %.2f, (b)/(f) = %.2f%n",
                    b / a,
                    c / a,
                    f / a,
                    b / f);
            if (r >= 0) {
                timedB[r] = b;
                timedF[r] = f;
            }
        }
        if (rounds && repeats > 1) {
            printMedians(timedA, arrowOnly ? null : timedB, arrowOnly ? null : timedF, warmups);
        }
        if (flightOnly) {
            printClientFloor(python, rows);
        }
        if (!arrowOnly && !flightOnly) {
            // The way back: Spark reading the files (a) and (b) left, each into noop.
            double readArrow = timeRead(
                    "(d) Spark reads (a)'s files: format(\"arrow\") to noop",
                    () -> spark.read().format("arrow").load(arrowDir.toString()));
            double readParquet = timeRead(
                    "(e) Spark reads (b)'s files: Parquet to noop",
                    () -> spark.read().parquet(parquetDir.toString()));
            System.out.printf(Locale.ROOT, "ratio: (e)/(d) = %.2f%n", readParquet / readArrow);
        }
        coldFigures.forEach(FreshProcessRun.ColdFigures::print);
        deleteTree(work);
        spark.stop();
    }

    /** Runs each {@link ArrowColdJob} as a fresh process, its files in {@code dir}. */
    private static FreshProcessRun.ColdFigures coldJobs(long rows, Path dir, String python) throws IOException {
        List<FreshProcessRun.Job> jobs = new ArrayList<>();
        for (String job : ArrowColdJob.JOBS) {
            jobs.add(new FreshProcessRun.Job(
                    ArrowColdJob.describe(job),
                    List.of(job, Long.toString(rows), dir.resolve(job).toString(), python)));
        }
        FreshProcessRun.ColdFigures figures = FreshProcessRun.runJobs(
                ArrowColdJob.class.getName(),
                jobs,
                ProjectDirectory.root().resolve("target/bench-arrow"),
                "rows",
                rows);
        deleteTree(dir);
        return figures;
    }

    static Dataset<Row> data(SparkSession spark, long rows) {
        List<String> cols = new ArrayList<>();
        cols.add("id");
        for (int i = 1; i <= 4; i++) {
            cols.add(String.format(Locale.ROOT, "CAST((id * %d) %% 1000003 AS INT) AS i%d", 31 + i, i));
        }
        for (int i = 1; i <= 5; i++) {
            cols.add(String.format(Locale.ROOT, "CAST(id AS DOUBLE) * %d.25 / 7 AS d%d", i, i));
        }
        for (int i = 1; i <= 5; i++) {
            cols.add(String.format(Locale.ROOT, "concat('value-', CAST((id * %d) %% 100000 AS STRING)) AS s%d", i, i));
        }
        for (int i = 1; i <= 5; i++) {
            cols.add(String.format(Locale.ROOT, "timestamp_micros(1700000000000000 + id * %d000) AS t%d", i, i));
        }
        return spark.range(rows).selectExpr(cols.toArray(new String[0]));
    }

    private static double timeFiles(String label, String python, String kind, Path dir, Runnable write, long rows)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        double cpu0 = TASK_CPU.seconds();
        double jvm0 = ProcessCpu.now().jvm();
        write.run();
        double written = seconds(t0);
        double cpu = TASK_CPU.seconds() - cpu0;
        String[] out = loadInPolars(python, kind, dir, rows).split(" ");
        double total = seconds(t0);
        System.out.printf(
                Locale.ROOT,
                "%s: %.2f s (Spark write %.2f s, task CPU %.2f s, %s MB on disk; Python load %s s; CPU: JVM %.2f s, "
                        + "Python %s s)%n",
                label,
                total,
                written,
                cpu,
                megabytes(dir),
                out[2],
                ProcessCpu.now().jvm() - jvm0,
                out[3]);
        return total;
    }

    /**
     * Loads the {@code kind} ("arrow" or "parquet") files in {@code dir} into one Polars DataFrame in a Python
     * process and checks it has every row; returns what the loader printed (rows, columns, its own seconds).
     */
    static String loadInPolars(String python, String kind, Path dir, long rows)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, "-c", LOAD_FILES, kind, dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return finish(p, rows);
    }

    /** The median of three reads into noop after a warm-up one, with the median run's task CPU. */
    private static double timeRead(String label, java.util.function.Supplier<Dataset<Row>> read) {
        double[][] runs = new double[4][];
        for (int i = 0; i < runs.length; i++) {
            long t0 = System.nanoTime();
            double cpu0 = TASK_CPU.seconds();
            read.get().write().format("noop").mode("overwrite").save();
            runs[i] = new double[] {seconds(t0), TASK_CPU.seconds() - cpu0};
        }
        double[][] timed = java.util.Arrays.copyOfRange(runs, 1, runs.length);
        java.util.Arrays.sort(timed, Comparator.comparingDouble(run -> run[0]));
        System.out.printf(
                Locale.ROOT,
                "%s: median %.2f s (runs %.2f, %.2f, %.2f; task CPU of the median %.2f s)%n",
                label,
                timed[1][0],
                runs[1][0],
                runs[2][0],
                runs[3][0],
                timed[1][1]);
        return timed[1][0];
    }

    private static double timeStream(String label, String python, Dataset<Row> df, long rows)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(python, "-c", LOAD_FILES, "stream", "-")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (OutputStream stdin = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
            ArrowExport.writeStream(df, stdin, Map.of());
        }
        String out = finish(p, rows);
        double total = seconds(t0);
        System.out.printf(
                Locale.ROOT,
                "%s: %.2f s (Python load, overlapping the export, %s s)%n",
                label,
                total,
                out.split(" ")[2]);
        return total;
    }

    /**
     * GetFlightInfo (one Spark job writing each partition on its executor) and the DoGets of all partitions at once,
     * from a fresh Python process; the whole is timed, "Python load" being the part after the interpreter started.
     */
    private static double timeFlight(
            String label, String python, Dataset<Row> df, long rows, SparkSession spark, Path token)
            throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        double cpu0 = TASK_CPU.seconds();
        double jvm0 = ProcessCpu.now().jvm();
        String[] out = readThroughFlight(python, df, rows, spark, token).split(" ");
        double total = seconds(t0);
        System.out.printf(
                Locale.ROOT,
                "%s: %.2f s (task CPU %.2f s; Python load, the Spark job included, %s s; CPU: JVM %.2f s, Python %s s)%n",
                label,
                total,
                TASK_CPU.seconds() - cpu0,
                out[2],
                ProcessCpu.now().jvm() - jvm0,
                out[3]);
        return total;
    }

    /**
     * {@code builder} with the plugin's Arrow Flight service on, on loopback, with a token made for this run written to
     * {@code token}, which {@link #readThroughFlight} then reads with.
     */
    static SparkSession.Builder withFlight(SparkSession.Builder builder, Path token) throws IOException {
        Files.createDirectories(token.getParent());
        Files.writeString(token, PartitionTicket.newSecret());
        return builder.config("spark.plugins", "io.tributary.spark.TributaryPlugin")
                .config("spark.tributary.flight.enabled", "true")
                .config("spark.tributary.flight.host", "127.0.0.1")
                .config("spark.tributary.flight.tokenFile", token.toString());
    }

    /**
     * Serves {@code df} under the name "bench" on this session's Flight service (on loopback, {@code token} its
     * token file) and reads it into Polars in a fresh Python process, as the documented client does; returns what
     * the loader printed once it has checked every row arrived. The name is no longer served afterwards.
     */
    static String readThroughFlight(String python, Dataset<Row> df, long rows, SparkSession spark, Path token)
            throws IOException, InterruptedException {
        io.tributary.flight.TributaryFlight.serve("bench", df);
        try {
            String location =
                    "grpc+tcp://127.0.0.1:" + spark.sparkContext().getConf().get("spark.tributary.flight.boundPort");
            Process p = new ProcessBuilder(python, "-c", LOAD_FILES, "flight", location, token.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return finish(p, rows);
        } finally {
            io.tributary.flight.TributaryFlight.stopServing("bench");
        }
    }

    /**
     * The medians of the timed rounds, and of each round's ratios (not the ratio of the medians): what a repeated run
     * is judged by.
     */
    private static void printMedians(double[] a, double[] b, double[] f, int warmups) {
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "medians of %d timed rounds after %d warm-up: (a) %.2f s",
                a.length,
                warmups,
                Median.of(a)));
        if (b != null) {
            double[] fOverA = new double[a.length];
            double[] bOverF = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                fOverA[i] = f[i] / a[i];
                bOverF[i] = b[i] / f[i];
            }
            line.append(String.format(
                    Locale.ROOT,
                    ", (b) %.2f s, (f) %.2f s; (f)/(a) %.2f, (b)/(f) %.2f",
                    Median.of(b),
                    Median.of(f),
                    Median.of(fOverA),
                    Median.of(bOverF)));
        }
        System.out.println(line);
    }

    /**
     * (f)'s client alone: the same loader reading the same table from a pyarrow Flight server that holds it in memory
     * ({@code flight_client_floor.py}), three fresh processes after the rounds, while this JVM is idle.
     */
    private static void printClientFloor(String python, long rows) throws IOException, InterruptedException {
        Path script = ProjectDirectory.root().resolve(CLIENT_FLOOR);
        Process p = new ProcessBuilder(python, script.toString(), Long.toString(rows), "3", LOAD_FILES)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(script + " failed: " + out);
        }
        System.out.println(out);
    }

    /** Waits for the Python loader and checks it saw every row. */
    private static String finish(Process p, long rows) throws IOException, InterruptedException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0 || !out.startsWith(rows + " ")) {
            throw new IllegalStateException("Python loader failed or lost rows: '" + out + "'");
        }
        return out;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String megabytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long bytes = files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
            return String.format(Locale.ROOT, "%.0f", bytes / 1e6);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
