package io.tributary.bench.trino;

import static io.tributary.bench.BenchOutput.print;

import io.tributary.bench.BenchFlags;
import io.tributary.bench.prometheus.BenchHistory;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Trino's Prometheus connector, the other SQL engine's, against Tributary's {@code mode=raw} on the same
 * Prometheus and samples (those of {@code dev/bench-prometheus}: 4 node_memory metrics × N instances × D days at
 * 15 s). Trino's connector reads raw samples too (a range selector per one-day chunk), so both read the same rows.
 *
 * <ol>
 *   <li>Checks that Prometheus' own count, Trino's {@code count(*)} and Tributary's count agree, per metric, with
 *       the history's known number, and fails otherwise.</li>
 *   <li>Warm: both engines up; counting all samples, and every sample into a Delta table (Trino: CREATE TABLE AS
 *       into its Delta Lake catalog; Tributary: {@code format("delta")}), each once to warm and then 3 times in
 *       turns, keeping the medians.</li>
 *   <li>Cold: a fresh {@code dev/spark-submit} process that counts once, measured whole, against Trino's first
 *       count after a restart of its server, with the restart's time to ready.</li>
 * </ol>
 * Prints a table of wall times and the ratios Trino/Tributary, with the conditions. Launched by
 * {@code dev/bench-trino}, which fetches Trino and passes its JDBC driver next to the plugin jar.
 *
 * <p>Arguments: {@code --trino-home DIR --trino-java-home DIR [--work-dir target/bench-trino] [--instances 50]
 * [--days 3]}.
 */
public final class TrinoPeerBenchmark {
    private static final Instant START = BenchHistory.START;
    private static final int TIMED_RUNS = 3;
    private static final List<String> METRICS = NodeMemoryHistory.NODE_MEMORY_METRICS;

    private TrinoPeerBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchArguments arguments = BenchArguments.parse(args);
        String loadAtStart = loadAverage();
        Instant began = Instant.now();
        BenchHistory cached = BenchHistory.cached(arguments.instances, arguments.days);
        NodeMemoryHistory history = cached.history();
        long expected = history.nodeMemorySampleCount();
        Path work = Files.createDirectories(arguments.workDir).toAbsolutePath();
        print(
                "history: 4 metrics x %d instances x %d days @ 15 s = %,d samples",
                arguments.instances, arguments.days, expected);
        TrinoSql sql = new TrinoSql(METRICS, START, history.end());

        Path prometheusPid = work.resolve("prometheus.pid");
        try (PrometheusServer prometheus = cached.serve()) {
            ProcessHandle prometheusProcess = prometheus.processHandle().orElseThrow();
            // For dev/bench-trino's exit trap: the servers this JVM started, should it be killed before closing them.
            Files.writeString(prometheusPid, prometheusProcess.pid() + "\n", StandardCharsets.UTF_8);
            print("prometheus ready at %s%s", prometheus.url(), prometheus.reusedBlocks() ? " (blocks reused)" : "");
            SparkSession spark =
                    SparkSession.builder().appName("tributary-bench-trino").getOrCreate();
            spark.sparkContext().setLogLevel("WARN");
            Dataset<Row> raw = rawReader(spark, prometheus.url(), history).load();

            // A fresh Trino: no Delta table or schema of an earlier run in its metastore.
            deleteRecursively(work.resolve("trino"));
            long trinoStarted = System.nanoTime();
            try (TrinoServer trino = TrinoServer.start(
                    arguments.trinoHome, arguments.trinoJavaHome, work.resolve("trino"), prometheus.url())) {
                print("trino started in %.1f s (first start)", seconds(trinoStarted));
                List<Line> table = new ArrayList<>();
                try (Connection connection = trino.connect()) {
                    execute(connection, TrinoSql.createDeltaSchema());
                    checkCounts(connection, sql, spark, raw, prometheus.url(), history);
                    table.addAll(warm(
                            connection, sql, raw, trino, prometheusProcess, work.resolve("tributary-delta"), expected));
                }
                table.addAll(cold(trino, sql, prometheus.url(), history, work));
                String loadAtEnd = loadAverage();
                printTable(table);
                print(
                        "conditions: %,d samples (4 node_memory metrics x %d instances x %d days @ 15 s), %d cores shared by"
                                + " both engines and Prometheus; Spark %s, driver heap %s, Java %s; Trino 476 single node, heap %s,"
                                + " on %s; started %s, took %.0f s; load average at start %s, at end %s",
                        expected,
                        arguments.instances,
                        arguments.days,
                        Runtime.getRuntime().availableProcessors(),
                        spark.sparkContext().master(),
                        heap(),
                        System.getProperty("java.version"),
                        TrinoServer.HEAP,
                        arguments.trinoJavaHome,
                        began,
                        Duration.between(began, Instant.now()).toMillis() / 1e3,
                        loadAtStart,
                        loadAtEnd);
            } finally {
                spark.stop();
            }
        } finally {
            Files.deleteIfExists(prometheusPid);
        }
    }

    /**
     * Prometheus' own count per metric, Trino's and Tributary's must all equal the history's: a benchmark of reads
     * that lose or repeat samples would mean nothing.
     */
    private static void checkCounts(
            Connection connection,
            TrinoSql sql,
            SparkSession spark,
            Dataset<Row> raw,
            String url,
            NodeMemoryHistory history)
            throws Exception {
        Map<String, Long> tributary = new LinkedHashMap<>();
        for (Row row : raw.groupBy("metric").count().collectAsList()) {
            tributary.put(row.getString(0), row.getLong(1));
        }
        long perMetric = history.nodeMemorySampleCount() / METRICS.size();
        List<String> mismatches = new ArrayList<>();
        print("%-30s %12s %12s %12s %12s", "samples of", "fixture", "Prometheus", "Trino", "Tributary");
        for (String metric : METRICS) {
            long fromPrometheus = PrometheusSampleCount.of(url, metric, START, history.lastSampleTime());
            long fromTrino = queryLong(connection, sql.countOf(metric));
            long fromTributary = tributary.getOrDefault(metric, 0L);
            print("%-30s %,12d %,12d %,12d %,12d", metric, perMetric, fromPrometheus, fromTrino, fromTributary);
            if (fromPrometheus != perMetric || fromTrino != perMetric || fromTributary != perMetric) {
                mismatches.add(metric);
            }
        }
        if (!mismatches.isEmpty() || tributary.size() != METRICS.size()) {
            throw new IllegalStateException("The sample counts disagree for " + mismatches + " (Tributary's metrics: "
                    + tributary.keySet() + "); see the table above");
        }
    }

    /**
     * Counting and materialising into Delta on both engines: each once to warm, then {@value #TIMED_RUNS} rounds
     * in which each runs once, so that drift in the shared machine's load reaches all alike. Returns the medians,
     * Trino's and Tributary's line by line.
     */
    private static List<Line> warm(
            Connection connection,
            TrinoSql sql,
            Dataset<Row> raw,
            TrinoServer trino,
            ProcessHandle prometheus,
            Path deltaDir,
            long expected)
            throws Exception {
        String deltaPath = deltaDir.resolve("node_memory").toString();
        Dataset<Row> rawColumns = raw.select("metric", "labels", "timestamp", "value");
        Supplier<Duration> trinoCpu = () -> cpu(trino.processHandle().orElseThrow());
        Supplier<Duration> sparkCpu = TrinoPeerBenchmark::thisJvmCpu;
        List<Task> tasks = List.of(
                new Task("count all samples", "Trino", trinoCpu, () -> {}, () -> queryLong(connection, sql.countAll())),
                new Task("count all samples", "Tributary", sparkCpu, () -> {}, raw::count),
                new Task(
                        "all samples into Delta",
                        "Trino",
                        trinoCpu,
                        () -> execute(connection, TrinoSql.dropDeltaTable()),
                        () -> updateCount(connection, sql.createDeltaTable())),
                new Task("all samples into Delta", "Tributary", sparkCpu, () -> deleteRecursively(deltaDir), () -> {
                    rawColumns
                            .write()
                            .format("delta")
                            .mode(SaveMode.ErrorIfExists)
                            .save(deltaPath);
                    return -1;
                }));
        for (Task task : tasks) {
            task.prepare.run();
            task.timed.run();
        }
        List<List<Run>> runs = new ArrayList<>();
        tasks.forEach(t -> runs.add(new ArrayList<>()));
        for (int round = 0; round < TIMED_RUNS; round++) {
            for (int k = 0; k < tasks.size(); k++) {
                Task task = tasks.get(k);
                task.prepare.run();
                Duration engineBefore = task.engineCpu.get();
                Duration prometheusBefore = cpu(prometheus);
                long started = System.nanoTime();
                long samples = task.timed.run();
                double wall = seconds(started);
                double engine = seconds(task.engineCpu.get().minus(engineBefore));
                double served = seconds(cpu(prometheus).minus(prometheusBefore));
                if (samples < 0) {
                    samples = raw.sparkSession()
                            .read()
                            .format("delta")
                            .load(deltaPath)
                            .count();
                }
                if (samples != expected) {
                    throw new IllegalStateException(
                            task.engine + " " + task.what + " handled " + samples + " samples, expected " + expected);
                }
                runs.get(k).add(new Run(wall, engine, served));
                print(
                        "warm round %d: %-9s %-24s %7.2f s (engine CPU %.2f s, Prometheus CPU %.2f s)",
                        round + 1, task.engine, task.what, wall, engine, served);
            }
        }
        execute(connection, TrinoSql.dropDeltaTable());
        List<Line> lines = new ArrayList<>();
        for (int k = 0; k < tasks.size(); k += 2) {
            Run trinoMedian = median(runs.get(k));
            Run tributaryMedian = median(runs.get(k + 1));
            lines.add(new Line(
                    "warm: " + tasks.get(k).what + ", median of " + TIMED_RUNS,
                    trinoMedian.wall,
                    tributaryMedian.wall,
                    "CPU of the median runs: Trino " + cpuText(trinoMedian) + "; Tributary "
                            + cpuText(tributaryMedian)));
        }
        return lines;
    }

    /**
     * A fresh Spark process that counts once, measured whole, then Trino restarted and its first count. Trino's
     * CPU and peak RSS are those of its server process from its start to the end of the count (read from /proc),
     * Spark's those of the whole process (GNU time).
     */
    private static List<Line> cold(TrinoServer trino, TrinoSql sql, String url, NodeMemoryHistory history, Path work)
            throws Exception {
        long expected = history.nodeMemorySampleCount();
        Path benchJar = Path.of(TrinoPeerBenchmark.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
        if (!benchJar.toString().endsWith(".jar")) {
            throw new IllegalStateException(
                    "The cold run starts this benchmark's jar in a fresh process; run it from the"
                            + " jar (dev/bench-trino), not from " + benchJar);
        }
        TimedCommand.Usage spark = TimedCommand.run(
                List.of(
                        "dev/spark-submit",
                        "--master",
                        "local[2]",
                        "--class",
                        RawCountJob.class.getName(),
                        benchJar.toString(),
                        url,
                        String.join(",", METRICS),
                        START.toString(),
                        history.lastSampleTime().toString()),
                Map.of(),
                work);
        ColdCount inside = ColdCount.parse(spark.output());
        if (inside.samples != expected) {
            throw new IllegalStateException("The fresh Spark process counted " + inside.samples + " samples, expected "
                    + expected + ":\n" + spark.output());
        }
        print(
                "cold Tributary process: %.2f s wall (session ready %.2f s after the JVM started, count %.2f s), CPU %s,"
                        + " peak RSS %s",
                spark.wallSeconds(),
                inside.session,
                inside.count,
                text(spark.cpuSeconds(), "%.2f s"),
                text(spark.peakRssMib(), "%.0f MiB"));

        long stopping = System.nanoTime();
        trino.stop();
        double stop = seconds(stopping);
        long starting = System.nanoTime();
        trino.startAgain();
        double ready = seconds(starting);
        double count;
        try (Connection connection = trino.connect()) {
            long querying = System.nanoTime();
            long samples = queryLong(connection, sql.countAll());
            count = seconds(querying);
            if (samples != expected) {
                throw new IllegalStateException(
                        "Trino's first count after its restart gave " + samples + ", expected " + expected);
            }
        }
        ProcessHandle server = trino.processHandle().orElseThrow();
        double trinoCpu = seconds(cpu(server));
        OptionalDouble trinoRss = peakRssMib(server);
        print(
                "cold Trino: stopped in %.2f s, started in %.2f s, first count %.2f s; server CPU since start %.2f s,"
                        + " peak RSS %s",
                stop, ready, count, trinoCpu, text(trinoRss, "%.0f MiB"));
        return List.of(
                new Line("cold: first count (Trino restarted; Tributary in a fresh JVM)", count, inside.count, ""),
                new Line(
                        "cold: start to ready (Trino runs queries; Tributary has a session)",
                        ready,
                        inside.session,
                        ""),
                new Line(
                        "cold: start + first count (Tributary: the whole process)",
                        ready + count,
                        spark.wallSeconds(),
                        "CPU: Trino " + String.format(Locale.ROOT, "%.2f s", trinoCpu) + ", Tributary "
                                + text(spark.cpuSeconds(), "%.2f s") + "; peak RSS: Trino " + text(trinoRss, "%.0f MiB")
                                + ", Tributary " + text(spark.peakRssMib(), "%.0f MiB")));
    }

    private static void printTable(List<Line> rows) {
        print("");
        print("%-72s %8s %12s %16s", "", "Trino s", "Tributary s", "Trino/Tributary");
        for (Line row : rows) {
            print("%-72s %8.2f %12.2f %15.2fx", row.name, row.trino, row.tributary, row.trino / row.tributary);
        }
        for (Line row : rows) {
            if (!row.note.isEmpty()) {
                print("%s: %s", row.name, row.note);
            }
        }
        print("");
    }

    private static DataFrameReader rawReader(SparkSession spark, String url, NodeMemoryHistory history) {
        return spark.read()
                .format("prometheus")
                .option("url", url)
                .option("metrics", String.join(",", METRICS))
                .option("start", START.toString())
                .option("end", history.lastSampleTime().toString())
                .option("mode", "raw");
    }

    private static long queryLong(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            if (!result.next()) {
                throw new IllegalStateException("Trino returned no row for " + query);
            }
            return result.getLong(1);
        }
    }

    private static long updateCount(Connection connection, String update) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeLargeUpdate(update);
        }
    }

    private static void execute(Connection connection, String statement) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(statement);
        }
    }

    /** /proc/loadavg's 1, 5 and 15 minute load averages. */
    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /** The process's peak resident set (VmHWM in /proc/PID/status). */
    private static OptionalDouble peakRssMib(ProcessHandle process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return OptionalDouble.of(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
            }
        }
        return OptionalDouble.empty();
    }

    private static Duration cpu(ProcessHandle process) {
        return process.info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("Cannot read the CPU time of process " + process.pid()));
    }

    private static Duration thisJvmCpu() {
        return Duration.ofNanos(
                ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime());
    }

    private static String heap() {
        return Math.round(Runtime.getRuntime().maxMemory() / (1024.0 * 1024 * 1024)) + "G";
    }

    private static String cpuText(Run run) {
        return String.format(Locale.ROOT, "%.2f s, Prometheus %.2f s", run.engineCpu, run.prometheusCpu);
    }

    private static String text(OptionalDouble value, String format) {
        return value.isPresent()
                ? String.format(Locale.ROOT, format, value.getAsDouble())
                : "n/a (needs GNU time at " + TimedCommand.GNU_TIME + ")";
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> paths = Files.walk(path)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Run median(List<Run> runs) {
        List<Run> sorted =
                runs.stream().sorted(Comparator.comparingDouble(Run::wall)).toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private interface Step {
        void run() throws Exception;
    }

    private interface SampleRun {
        /** The samples handled, or -1 when the caller has to read them back from the Delta table written. */
        long run() throws Exception;
    }

    /** One engine's side of one line: an untimed preparation (dropping the previous table), then the timed run. */
    private record Task(String what, String engine, Supplier<Duration> engineCpu, Step prepare, SampleRun timed) {}

    private record Run(double wall, double engineCpu, double prometheusCpu) {}

    private record Line(String name, double trino, double tributary, String note) {}

    /** {@link RawCountJob}'s line. */
    private record ColdCount(long samples, double session, double count) {
        private static final Pattern COLD_LINE =
                Pattern.compile("\\[cold] samples=(\\d+) session=([0-9.]+) count=([0-9.]+)");

        static ColdCount parse(String output) {
            Matcher m = COLD_LINE.matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("The fresh Spark process printed no [cold] line:\n" + output);
            }
            return new ColdCount(
                    Long.parseLong(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
        }
    }

    private static final class BenchArguments {
        Path workDir;
        int instances;
        int days;
        Path trinoHome;
        Path trinoJavaHome;

        static BenchArguments parse(String[] args) {
            BenchFlags flags =
                    BenchFlags.parse(args, "--trino-home", "--trino-java-home", "--work-dir", "--instances", "--days");
            BenchArguments parsed = new BenchArguments();
            parsed.workDir = flags.path("--work-dir", Path.of("target/bench-trino"));
            parsed.instances = flags.positive("--instances", 50);
            parsed.days = flags.positive("--days", 3);
            parsed.trinoHome = flags.path("--trino-home", null);
            parsed.trinoJavaHome = flags.path("--trino-java-home", null);
            if (parsed.trinoHome == null || parsed.trinoJavaHome == null) {
                throw new IllegalArgumentException(
                        "--trino-home (an unpacked trino-server-476) and --trino-java-home (a"
                                + " JDK 24 or later) are required; dev/bench-trino passes both");
            }
            return parsed;
        }
    }
}
