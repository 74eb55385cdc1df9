package io.tributary.bench.prometheus;

import static io.tributary.bench.BenchOutput.print;

import io.tributary.bench.BenchFlags;
import io.tributary.bench.BenchSettings;
import io.tributary.bench.FreshProcessRun;
import io.tributary.bench.Median;
import io.tributary.testing.TestPython;
import io.tributary.testing.prometheus.JsonApiCeilingClient;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import io.tributary.testing.prometheus.RangeQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The Prometheus benchmark, in one run on one Prometheus holding 4 node_memory metrics × N instances × D days at
 * 15 s: (a) {@code format("prometheus")} into a Delta table, and a count-only read; (b) the Python download pipeline
 * Tributary replaces (requests, 64-thread pool over metric × day, pandas, one CSV per metric-day); (c) the same HTTP
 * requests from a plain parallel Java client that parses and discards the JSON: the API's own ceiling; (f) the same
 * rows as (a) from memory into Delta, the writer's own cost, and (f') into plain Parquet, what Delta adds. Prints
 * samples/s, the ratios a/b and count-only/c, and b/f, what a/b would be if reading cost nothing. Then (r)
 * {@code mode=raw} (remote read) against {@code mode=range} on the same samples, count-only and into Delta, with the
 * ratio raw/range. Before all that, the cold figures: (a) long, (a) wide, the count-only read and the floor (the same
 * rows generated in memory into Delta), each the whole of a fresh process ({@link PrometheusColdJob},
 * {@code BENCH_COLD_RUNS} times, default once). The history and its backfilled TSDB are kept in the cache directory
 * ({@code BENCH_CACHE_DIR}). Launched by {@code dev/bench-prometheus} through SparkSubmit with the plugin jar.
 *
 * <p>Arguments: {@code [--work-dir DIR] [--instances 50] [--days 3] [--python PATH] [--only raw-vs-range |
 * --only count-vs-ceiling | --only cold]}; {@code --only raw-vs-range} skips (a) to (c); {@code --only
 * count-vs-ceiling} runs just the count-only read against (c), for quick turns; {@code --only cold} runs just the
 * cold jobs and the two Python pipelines, each a whole process, and their ratios (at the tutorial's 23 days the
 * warm runs would take most of an hour).
 */
public final class PrometheusBenchmark {
    static final Instant START = BenchHistory.START;
    private static final int TIMED_RUNS = 3;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /** The Python download pipeline Tributary replaces; the benchmark runs from the repository root. */
    private static final Path PYTHON_PIPELINE =
            Path.of("integration-tests/benchmarks/src/main/python/python_download_pipeline.py");

    private static final Pattern JSON_NUMBER = Pattern.compile("\"(\\w+)\": ([0-9.]+)");

    private PrometheusBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArguments arguments = BenchArguments.parse(args);
        BenchHistory cached = BenchHistory.cached(arguments.instances, arguments.days);
        NodeMemoryHistory history = cached.history();
        Instant end = START.plus(Duration.ofDays(arguments.days));
        Path work = Files.createDirectories(arguments.workDir);
        print(
                "history: 4 metrics x %d instances x %d days @ 15 s = %,d samples",
                arguments.instances, arguments.days, history.totalSampleCount());
        String metrics = String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS);
        int coldRuns = arguments.onlyRawVsRange || arguments.onlyCountVsCeiling
                ? 0
                : BenchSettings.count(System.getenv(), "BENCH_COLD_RUNS", 1);

        try (PrometheusServer prometheus = cached.serve()) {
            print("prometheus ready at %s%s", prometheus.url(), prometheus.reusedBlocks() ? " (blocks reused)" : "");
            // First, while no Spark runs in this JVM: each cold job alone on the machine with Prometheus.
            List<FreshProcessRun.ColdFigures> cold = new ArrayList<>();
            for (int run = 0; run < coldRuns; run++) {
                cold.add(coldJobs(prometheus.url(), end, history.totalSampleCount(), work.resolve("cold-" + run)));
            }
            for (int run = 0; run < coldRuns; run++) {
                checkColdRowCounts(work.resolve("cold-" + run), history.totalSampleCount());
            }
            if (arguments.onlyCold) {
                // The cold jobs against the two Python pipelines, each a whole process, and nothing warm.
                List<PythonRun> pipelines = pythonPipelines(arguments, prometheus.url(), metrics, end, work);
                cold.forEach(FreshProcessRun.ColdFigures::print);
                printPythonCold(pipelines, cold);
                return;
            }
            SparkSession spark =
                    SparkSession.builder().appName("tributary-bench-prometheus").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");

            // Not timed: JIT, Spark's first job and Delta's first commit, so that (a) measures reading and writing,
            // not JVM start-up (the Python pipeline's own timer likewise excludes Python start-up and imports).
            reader(spark, prometheus.url(), metrics, START, START.plus(Duration.ofHours(6)))
                    .load()
                    .write()
                    .format("delta")
                    .mode(SaveMode.Overwrite)
                    .save(work.resolve("delta-warm-up").toString());

            if (arguments.onlyRawVsRange) {
                printTable(rawVsRange(spark, prometheus.url(), metrics, end, work));
                spark.stop();
                return;
            }
            List<RangeQuery> pipelineRequests =
                    RangeQuery.metricByDay(NodeMemoryHistory.NODE_MEMORY_METRICS, START, end, Duration.ofSeconds(15));
            // The same concurrency as Spark's task slots is the like-for-like ceiling; twice that shows the headroom.
            int slots = spark.sparkContext().defaultParallelism();
            Dataset<Row> frame = wholeHistory(spark, prometheus.url(), metrics, end);
            if (arguments.onlyCountVsCeiling) {
                for (int warmUp = 0; warmUp < 3; warmUp++) {
                    frame.count();
                }
                printTable(countVsCeiling(prometheus, frame, pipelineRequests, slots));
                spark.stop();
                return;
            }

            Dataset<Row> csvColumns = longLayout(frame);
            Dataset<Row> wide = wideLayout(spark, prometheus.url(), metrics, end);
            // Not timed: each Spark pipeline twice at full size. On 2 cores the JIT's compiler threads compete with the
            // tasks for minutes; without this, the same long-layout write measured 8.0 s early in a run and 4.0 s late.
            for (int warmUp = 0; warmUp < 2; warmUp++) {
                frame.count();
                csvColumns
                        .write()
                        .format("delta")
                        .mode(SaveMode.Overwrite)
                        .save(work.resolve("delta-warm-up-long").toString());
                wide.write()
                        .format("delta")
                        .mode(SaveMode.Overwrite)
                        .save(work.resolve("delta-warm-up-wide").toString());
            }

            List<Measurement> interleaved = countVsCeiling(prometheus, frame, pipelineRequests, slots);
            Measurement c = interleaved.get(0);
            Measurement cDouble = interleaved.get(1);
            Measurement countOnly = interleaved.get(2);

            Measurement a = intoDelta(
                    csvColumns,
                    work.resolve("delta-node-memory-long"),
                    1,
                    "(a) format(\"prometheus\") long layout into Delta");
            printCpuOfOneMoreRun(
                    new NamedRun("(a) long layout into Delta", () -> {
                        csvColumns
                                .write()
                                .format("delta")
                                .mode(SaveMode.Overwrite)
                                .save(work.resolve("delta-node-memory-long").toString());
                        return 0;
                    }),
                    prometheus);
            // The writer's own cost: the same rows, already in memory, into Delta. b/f is what a/b would be if reading
            // cost nothing (scanning the cache is not quite free either, so it is an estimate, not a strict bound).
            Dataset<Row> inMemory = csvColumns.cache();
            inMemory.count();
            Measurement f = intoDelta(
                    inMemory,
                    work.resolve("delta-node-memory-from-memory"),
                    1,
                    "(f) the same rows from memory (cached) into Delta: no reading");
            // What Delta adds to the Parquet files it writes (statistics for data skipping, the commit).
            Measurement fParquet = intoTable(
                    "parquet",
                    inMemory,
                    work.resolve("parquet-node-memory-from-memory"),
                    1,
                    "(f') the same rows from memory (cached) into plain Parquet");
            inMemory.unpersist(true);
            Measurement aWide = intoDelta(
                    wide,
                    work.resolve("delta-node-memory-wide"),
                    NodeMemoryHistory.NODE_MEMORY_METRICS.size(),
                    "(a) format(\"prometheus\") wide layout into Delta");

            // Two baselines: the Python download pipeline on query_range (the stronger baseline), and exactly the
            // requests
            // the scripts' prometheus_api_client.get_metric_range_data(chunk_size=60s) sends (one instant query a
            // minute).
            List<PythonRun> pipelines = pythonPipelines(arguments, prometheus.url(), metrics, end, work);
            Measurement b = pipelines.get(0).ownTimer();
            Measurement bFaithful = pipelines.get(1).ownTimer();

            List<Measurement> raw = rawVsRange(spark, prometheus.url(), metrics, end, work);
            printTable(List.of(a, aWide, f, fParquet, countOnly, b, bFaithful, c, cDouble));
            print(
                    "ratio a/b (connector into Delta vs the Python download pipeline on query_range, samples/s):"
                            + " long %.2fx, wide %.2fx",
                    a.rate() / b.rate(), aWide.rate() / b.rate());
            print(
                    "b/f (what a/b would be if reading cost nothing: the same rows from memory into Delta): %.2fx;"
                            + " (f) takes %.0f%% of (a) long's time; the same rows into plain Parquet (f') take %.0f%% of (f)",
                    b.seconds / f.seconds, 100 * f.seconds / a.seconds, 100 * fParquet.seconds / f.seconds);
            print(
                    "ratio a/b' (same, vs the scripts' own prometheus_api_client requests; wall time for the same days):"
                            + " long %.2fx, wide %.2fx",
                    bFaithful.seconds / a.seconds, bFaithful.seconds / aWide.seconds);
            printCountVsCeiling(interleaved, slots);
            print(
                    "Spark partitions: %d; local parallelism: %s",
                    frame.rdd().getNumPartitions(), spark.sparkContext().master());
            printTable(raw);
            cold.forEach(FreshProcessRun.ColdFigures::print);
            printPythonCold(pipelines, cold);
            spark.stop();
        }
    }

    /** The Python download scripts' CSV columns: no labels map, which the scripts never kept either. */
    static Dataset<Row> longLayout(Dataset<Row> frame) {
        return frame.select("metric", "instance", "group", "timestamp", "value");
    }

    /** The Python download scripts' end product: the four metrics joined on (instance, group, timestamp), read so. */
    static Dataset<Row> wideLayout(SparkSession spark, String url, String metrics, Instant end) {
        return reader(spark, url, metrics, START, end.minusSeconds(15))
                .option("layout", "wide")
                .load()
                .drop("labels");
    }

    /** The history's whole range, every sample once: {@code [START, end - 15 s]}. */
    static Dataset<Row> wholeHistory(SparkSession spark, String url, String metrics, Instant end) {
        return reader(spark, url, metrics, START, end.minusSeconds(15)).load();
    }

    /**
     * The cold figures: each job as its own fresh process (JVM start, session, one read or write, stop), the way a
     * user runs spark-submit, with the same rows written from memory as the floor of any such job.
     */
    private static FreshProcessRun.ColdFigures coldJobs(String url, Instant end, long samples, Path dir)
            throws IOException {
        List<FreshProcessRun.Job> jobs = new ArrayList<>();
        for (String job : PrometheusColdJob.JOBS) {
            Path table = dir.resolve(job);
            deleteRecursively(table);
            jobs.add(new FreshProcessRun.Job(
                    PrometheusColdJob.describe(job), PrometheusColdJob.arguments(job, url, end, table, samples)));
        }
        return FreshProcessRun.runJobs(PrometheusColdJob.class.getName(), jobs, dir, "samples", samples);
    }

    /** Reads back what each cold job wrote: every sample, or in wide layout every timestamp, is there once. */
    private static void checkColdRowCounts(Path dir, long samples) {
        SparkSession spark =
                SparkSession.builder().appName("tributary-bench-prometheus").getOrCreate();
        for (String job : PrometheusColdJob.JOBS) {
            PrometheusColdJob.checkWritten(spark, job, dir.resolve(job), samples);
        }
    }

    /**
     * The count-only read against the ceiling (at {@code slots} and twice as many concurrent requests). They take
     * turns, so that neither gains from running later (a warmer JIT, a quieter Prometheus after the other's burst):
     * single runs in a row differed by a third. Then one more run of each with its CPU split between this JVM and
     * Prometheus. Returns c, c at twice the concurrency, count-only.
     */
    private static List<Measurement> countVsCeiling(
            PrometheusServer prometheus, Dataset<Row> frame, List<RangeQuery> requests, int slots) throws Exception {
        NamedRun ceiling = ceilingRun(prometheus.url(), requests, slots);
        NamedRun countOnly = new NamedRun("(a) format(\"prometheus\") count-only read", frame::count);
        List<Measurement> medians =
                interleavedMedians(List.of(ceiling, ceilingRun(prometheus.url(), requests, 2 * slots), countOnly));
        printCpuOfOneMoreRun(ceiling, prometheus);
        printCpuOfOneMoreRun(countOnly, prometheus);
        printCountVsCeiling(medians, slots);
        return medians;
    }

    private static void printCountVsCeiling(List<Measurement> countVsCeiling, int slots) {
        Measurement c = countVsCeiling.get(0);
        Measurement cDouble = countVsCeiling.get(1);
        Measurement countOnly = countVsCeiling.get(2);
        print(
                "ratio count-only/c (connector vs the API's ceiling at %d concurrent requests, samples/s): %.2fx"
                        + "; against %d concurrent requests: %.2fx",
                slots, countOnly.rate() / c.rate(), 2 * slots, countOnly.rate() / cDouble.rate());
    }

    /**
     * Runs once more and prints its wall time and the CPU time this JVM (driver and executors) and Prometheus spent
     * meanwhile: with both on the same cores, their sum over the wall time says how busy the machine was.
     */
    private static void printCpuOfOneMoreRun(NamedRun run, PrometheusServer prometheus) throws Exception {
        ProcessHandle server = prometheus.processHandle().orElseThrow();
        Duration jvmBefore = jvmCpu();
        Duration serverBefore = server.info().totalCpuDuration().orElse(Duration.ZERO);
        long started = System.nanoTime();
        run.run.run();
        double wall = seconds(started);
        double jvm = jvmCpu().minus(jvmBefore).toNanos() / 1e9;
        double served = server.info()
                        .totalCpuDuration()
                        .orElse(Duration.ZERO)
                        .minus(serverBefore)
                        .toNanos()
                / 1e9;
        print(
                "CPU of one more %s: %.2f s wall, this JVM %.2f s CPU, Prometheus %.2f s CPU (%.0f%% of %d cores)",
                run.name, wall, jvm, served, 100 * (jvm + served) / (wall * CORES), CORES);
    }

    private static Duration jvmCpu() {
        return Duration.ofNanos(((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime());
    }

    private static void printTable(List<Measurement> measurements) {
        print("");
        print("%-70s %12s %9s %14s", "pipeline", "samples", "seconds", "samples/s");
        for (Measurement m : measurements) {
            print("%-70s %,12d %9.2f %,14.0f", m.name, m.samples, m.seconds, m.rate());
        }
        print("");
    }

    /**
     * (r) mode=raw (remote read, streamed XOR chunks) against mode=range (query_range JSON) on the same samples: the
     * history's 15 s samples are exactly the range grid's points, so both read the same count. Prints the ratios
     * raw/range of samples/s and returns the four measurements for the summary table.
     */
    private static List<Measurement> rawVsRange(SparkSession spark, String url, String metrics, Instant end, Path work)
            throws Exception {
        Dataset<Row> range =
                reader(spark, url, metrics, START, end.minusSeconds(15)).load();
        Dataset<Row> raw = reader(spark, url, metrics, START, end.minusSeconds(15))
                .option("mode", "raw")
                .load();
        List<Measurement> counts = interleavedMedians(List.of(
                new NamedRun("(r) mode=range count-only read", range::count),
                new NamedRun("(r) mode=raw count-only read", raw::count)));
        Measurement rangeCount = counts.get(0);
        Measurement rawCount = counts.get(1);
        Measurement rangeDelta = intoDelta(
                range.select("metric", "instance", "group", "timestamp", "value"),
                work.resolve("delta-range-long"),
                1,
                "(r) mode=range long layout into Delta");
        Measurement rawDelta = intoDelta(
                raw.select("metric", "instance", "group", "timestamp", "value"),
                work.resolve("delta-raw-long"),
                1,
                "(r) mode=raw long layout into Delta");
        if (rawCount.samples != rangeCount.samples || rawDelta.samples != rangeDelta.samples) {
            throw new IllegalStateException("raw and range read different sample counts: " + rawCount.samples + " vs "
                    + rangeCount.samples + ", into Delta " + rawDelta.samples + " vs " + rangeDelta.samples);
        }
        print(
                "ratio raw/range (mode=raw vs mode=range on the same %,d samples, samples/s): count-only %.2fx"
                        + ", into Delta %.2fx; partitions raw %d, range %d",
                rawCount.samples,
                rawCount.rate() / rangeCount.rate(),
                rawDelta.rate() / rangeDelta.rate(),
                raw.rdd().getNumPartitions(),
                range.rdd().getNumPartitions());
        return List.of(rangeCount, rawCount, rangeDelta, rawDelta);
    }

    /** {@link #intoTable} in Delta format. */
    private static Measurement intoDelta(Dataset<Row> frame, Path table, int samplesPerRow, String name)
            throws IOException {
        return intoTable("delta", frame, table, samplesPerRow, name);
    }

    /**
     * Writes a read into a fresh table of {@code format} {@value #TIMED_RUNS} times and keeps the median (a single
     * write swung by a third between runs on the shared machine); samples = rows read back × samples per row.
     */
    private static Measurement intoTable(String format, Dataset<Row> frame, Path table, int samplesPerRow, String name)
            throws IOException {
        double[] seconds = new double[TIMED_RUNS];
        for (int i = 0; i < TIMED_RUNS; i++) {
            deleteRecursively(table);
            long started = System.nanoTime();
            frame.write().format(format).mode(SaveMode.Overwrite).save(table.toString());
            seconds[i] = seconds(started);
        }
        long rows = frame.sparkSession()
                .read()
                .format(format)
                .load(table.toString())
                .count();
        return new Measurement(name + ", median of " + TIMED_RUNS, rows * samplesPerRow, Median.of(seconds));
    }

    static org.apache.spark.sql.DataFrameReader reader(
            SparkSession spark, String url, String metrics, Instant start, Instant end) {
        return spark.read()
                .format("prometheus")
                .option("url", url)
                .option("metrics", metrics)
                .option("start", start.toString())
                .option("end", end.toString())
                .option("step", "15s")
                .option("labelColumns", "instance,group");
    }

    private static NamedRun ceilingRun(String url, List<RangeQuery> requests, int threads) {
        JsonApiCeilingClient client = new JsonApiCeilingClient(url, threads);
        return new NamedRun(
                "(c) plain Java client, parse and discard (" + threads + " threads)",
                () -> client.run(requests).samples());
    }

    /** Something whose run returns how many samples it handled. */
    private interface SampleRun {
        long run() throws Exception;
    }

    private record NamedRun(String name, SampleRun run) {}

    /**
     * The reads are short (seconds) and the machine is shared, so each run gets one untimed warm-up and then the
     * median of {@value #TIMED_RUNS} timed runs, the runs taking turns round by round; both sides of a ratio are
     * measured the same way.
     */
    private static List<Measurement> interleavedMedians(List<NamedRun> runs) throws Exception {
        for (NamedRun r : runs) {
            r.run.run();
        }
        double[][] seconds = new double[runs.size()][TIMED_RUNS];
        long[] samples = new long[runs.size()];
        for (int round = 0; round < TIMED_RUNS; round++) {
            for (int k = 0; k < runs.size(); k++) {
                long started = System.nanoTime();
                samples[k] = runs.get(k).run.run();
                seconds[k][round] = seconds(started);
            }
        }
        List<Measurement> medians = new ArrayList<>();
        for (int k = 0; k < runs.size(); k++) {
            medians.add(
                    new Measurement(runs.get(k).name + ", median of " + TIMED_RUNS, samples[k], Median.of(seconds[k])));
        }
        return medians;
    }

    private static PythonRun runPythonPipeline(
            BenchArguments arguments, String url, String metrics, Instant end, Path out, String api, String name)
            throws IOException, InterruptedException {
        deleteRecursively(out);
        Files.createDirectories(out);
        List<String> command = new ArrayList<>(List.of(
                arguments.python,
                PYTHON_PIPELINE.toString(),
                "--url",
                url,
                "--metrics",
                metrics,
                "--start",
                START.toString(),
                "--end",
                end.toString(),
                "--step",
                "15",
                "--out",
                out.toString(),
                "--api",
                api));
        // Measured whole, start-up and imports included, as the cold Spark jobs are; the pipeline's own timer
        // (its last line) leaves those out.
        Path log = out.resolveSibling(out.getFileName() + ".log");
        FreshProcessRun.Cost whole = FreshProcessRun.measure(command, log);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String last = output.strip().lines().reduce((first, second) -> second).orElse("");
        long samples = 0;
        double seconds = 0;
        Matcher matcher = JSON_NUMBER.matcher(last);
        while (matcher.find()) {
            if (matcher.group(1).equals("samples")) {
                samples = Long.parseLong(matcher.group(2));
            } else if (matcher.group(1).equals("seconds")) {
                seconds = Double.parseDouble(matcher.group(2));
            }
        }
        if (samples == 0 || seconds == 0) {
            throw new IllegalStateException("Python download pipeline printed no figures: " + output);
        }
        return new PythonRun(new Measurement(name, samples, seconds), whole);
    }

    /**
     * Both Python download pipelines, one after the other: on query_range (the stronger baseline), and exactly the
     * requests the scripts' prometheus_api_client.get_metric_range_data(chunk_size=60s) sends (one instant query a
     * minute).
     */
    private static List<PythonRun> pythonPipelines(
            BenchArguments arguments, String url, String metrics, Instant end, Path work)
            throws IOException, InterruptedException {
        return List.of(
                runPythonPipeline(
                        arguments,
                        url,
                        metrics,
                        end,
                        work.resolve("python-download-csv"),
                        "query_range",
                        "(b) Python download pipeline on query_range: requests, 64 threads, pandas, CSV"),
                runPythonPipeline(
                        arguments,
                        url,
                        metrics,
                        end,
                        work.resolve("python-download-csv-chunked"),
                        "chunked-instant",
                        "(b') Python download pipeline as prometheus_api_client sends it (60 s chunks)"));
    }

    /** A Python pipeline's run: its own timer's figure, and the whole process measured from outside. */
    private record PythonRun(Measurement ownTimer, FreshProcessRun.Cost whole) {}

    /**
     * Prints each Python pipeline measured as a whole process beside the cold Spark jobs, and the cold ratios: the
     * pipeline's whole-process wall time over the median cold wall time of the long and the wide layout job.
     */
    private static void printPythonCold(List<PythonRun> pipelines, List<FreshProcessRun.ColdFigures> cold) {
        for (PythonRun pipeline : pipelines) {
            FreshProcessRun.printCost(
                    pipeline.ownTimer().name() + ", whole process",
                    pipeline.ownTimer().samples(),
                    pipeline.whole(),
                    String.format(
                            Locale.ROOT,
                            "(its own timer: %.2f s)",
                            pipeline.ownTimer().seconds()));
        }
        if (cold.isEmpty()) {
            return;
        }
        printWideShare(cold);
        double longWall = medianColdWall(cold, PrometheusColdJob.LONG);
        double wideWall = medianColdWall(cold, PrometheusColdJob.WIDE);
        for (PythonRun pipeline : pipelines) {
            System.out.printf(
                    Locale.ROOT,
                    "cold (fresh process) ratio %s whole-process wall / cold Spark job wall (median of %d):"
                            + " long %.2fx, wide %.2fx%n",
                    pipeline.ownTimer().name(),
                    cold.size(),
                    pipeline.whole().wallSeconds() / longWall,
                    pipeline.whole().wallSeconds() / wideWall);
        }
    }

    /**
     * Prints, per run, the wide layout's job minus its own floor (the same rows generated into Delta): the
     * connector's share of the wide job. The figures' own "minus the floor" lines use the long layout's floor.
     */
    private static void printWideShare(List<FreshProcessRun.ColdFigures> cold) {
        int wide = PrometheusColdJob.JOBS.indexOf(PrometheusColdJob.WIDE);
        int wideFloor = PrometheusColdJob.JOBS.indexOf(PrometheusColdJob.WIDE_FLOOR);
        for (FreshProcessRun.ColdFigures figures : cold) {
            FreshProcessRun.Cost share =
                    figures.costs().get(wide).minus(figures.costs().get(wideFloor));
            System.out.printf(
                    Locale.ROOT,
                    "cold (fresh process) %s minus the wide floor: %.2f s wall, %.2f s CPU%n",
                    PrometheusColdJob.describe(PrometheusColdJob.WIDE),
                    share.wallSeconds(),
                    share.cpuSeconds());
        }
    }

    /** The median wall time of one cold job over the runs. */
    private static double medianColdWall(List<FreshProcessRun.ColdFigures> cold, String job) {
        int index = PrometheusColdJob.JOBS.indexOf(job);
        return Median.of(cold.stream()
                .mapToDouble(figures -> figures.costs().get(index).wallSeconds())
                .toArray());
    }

    static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> paths = Files.walk(path)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private record Measurement(String name, long samples, double seconds) {
        double rate() {
            return samples / seconds;
        }
    }

    private static final class BenchArguments {
        Path workDir;
        int instances;
        int days;
        String python;
        boolean onlyRawVsRange;
        boolean onlyCountVsCeiling;
        boolean onlyCold;

        static BenchArguments parse(String[] args) {
            BenchFlags flags = BenchFlags.parse(args, "--work-dir", "--instances", "--days", "--python", "--only");
            BenchArguments parsed = new BenchArguments();
            parsed.workDir = flags.path("--work-dir", Path.of("target/bench-prometheus"));
            parsed.instances = flags.positive("--instances", 50);
            parsed.days = flags.positive("--days", 3);
            parsed.python = flags.text("--python").orElseGet(TestPython::executable);
            String only = flags.oneOf("--only", "all", "raw-vs-range", "count-vs-ceiling", "cold", "all");
            parsed.onlyRawVsRange = only.equals("raw-vs-range");
            parsed.onlyCountVsCeiling = only.equals("count-vs-ceiling");
            parsed.onlyCold = only.equals("cold");
            return parsed;
        }
    }
}
