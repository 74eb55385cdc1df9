package io.tributary.bench.athena;

import io.tributary.bench.BenchSettings;
import io.tributary.bench.FreshProcessRun;
import io.tributary.testing.ProjectDirectory;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import io.tributary.testing.athena.ServiceTime;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Athena benchmark: one result of N rows x 10 mixed-type columns read through fetchMode api, csv and unload from
 * the Athena emulator and S3Proxy, in one run, twice:
 *
 * <ol>
 *   <li>the emulator as is: loopback, no service time, so {@code api} pages cost only JSON encoding and decoding;
 *   <li>with the emulator's service-time model ({@link ServiceTime}): every GetQueryResults page waits as long as a
 *       page takes at Athena's published API rate, and every S3 request the reader makes waits a conservative S3
 *       first-byte latency.
 * </ol>
 *
 * For each mode it prints the time the query took (the emulator's work: DuckDB, Athena's CSV or UNLOAD's Parquet
 * into S3), the time Spark took to read every row afterwards, rows/s of that read, the read's ratio to api, and the
 * S3 requests the reader made. Figures, not assertions.
 *
 * <p>usage: AthenaFetchBenchmark [rows [modelledRows [pageMillis [s3Millis]]]]
 * (defaults 1000000, rows, 150, 200)
 */
public final class AthenaFetchBenchmark {
    private static final String[] MODES = {"api", "csv", "unload"};
    /** Athena's published API reads (FACTS.md): rows and seconds. */
    private static final PublishedRun GO_ATHENA_API = new PublishedRun("go-athena API", 5_000_000, 745);

    private static final PublishedRun PYATHENA_API = new PublishedRun("PyAthena API", 1_920_000, 506);
    /** The same publications' result-file reads, end to end (query included), for the ratios they imply. */
    private static final PublishedRun[] PUBLISHED_FILE_READS = {
        new PublishedRun("go-athena CSV", 5_000_000, 84),
        new PublishedRun("go-athena CTAS", 5_000_000, 44),
        new PublishedRun("PyAthena CSV", 1_920_000, 54)
    };

    private AthenaFetchBenchmark() {}

    public static void main(String[] args) throws Exception {
        long rows = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long modelledRows = args.length > 1 ? Long.parseLong(args[1]) : rows;
        ServiceTime model = new ServiceTime(
                Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 150),
                Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 200));
        try (S3Server s3 = S3Server.start()) {
            s3.createBucket("bench-results");
            try (AthenaEmulator athena = AthenaEmulator.start(s3, "s3://bench-results/queries/")) {
                athena.sql("CREATE SCHEMA bench");
                createTable(athena, "wide", rows);
                String modelledTable = modelledRows == rows ? "wide" : "wide_modelled";
                if (modelledRows != rows) {
                    createTable(athena, modelledTable, modelledRows);
                }
                Map<String, String> options = athena.readOptions(s3, "bench");
                options.put("pollInterval", "50ms");
                options.put("csvSplitSize", "16m");
                // Otherwise an earlier unload's files are deleted in the background while a later mode is measured, and
                // those S3 requests would be counted against it.
                options.put("keepUnloadOutput", "true");
                // First, while no Spark runs in this JVM: each mode's read as one fresh process, as a user's job runs.
                List<FreshProcessRun.ColdFigures> coldFigures = new ArrayList<>();
                for (int run = 0; run < BenchSettings.count(System.getenv(), "BENCH_COLD_RUNS", 1); run++) {
                    coldFigures.add(coldJobs(options, "wide", rows));
                }
                SparkSession spark = SparkSession.builder()
                        .appName("athena-fetch-benchmark")
                        .config("spark.ui.enabled", "false")
                        .config("spark.sql.shuffle.partitions", "2")
                        .config("spark.sql.session.timeZone", "UTC")
                        .getOrCreate();
                spark.sparkContext().setLogLevel("WARN");

                read(spark, options, "csv", "wide", rows, s3); // warm-up: JIT and SDK class loading, not reported
                System.out.printf(
                        "%nPart 1, the emulator as is: %,d rows x 10 columns, local[2], emulator + S3Proxy on"
                                + " loopback, no service time%n",
                        rows);
                printVsPublishedApi(runModes(spark, options, "wide", rows, s3));
                coldFigures.forEach(FreshProcessRun.ColdFigures::print);

                athena.serviceTime(model);
                double pageMillis = model.resultsPage().toNanos() / 1e6;
                System.out.printf(
                        "%nPart 2, modelled service time: %,d rows x 10 columns; GetQueryResults %.0f ms a page"
                                + " (1000 rows: at most %,.0f rows/s), S3 first byte %d ms on every request the reader makes%n",
                        modelledRows,
                        pageMillis,
                        1000 / (pageMillis / 1000),
                        model.s3FirstByte().toMillis());
                Map<String, Double> modelled = runModes(spark, options, modelledTable, modelledRows, s3);
                athena.serviceTime(ServiceTime.NONE);
                System.out.printf(
                        "  modelled api %,.0f rows/s (the page wait plus Tributary's own work on each page)%n",
                        modelled.get("api"));
                printVsPublishedApi(modelled);
                for (PublishedRun published : PUBLISHED_FILE_READS) {
                    PublishedRun api = published.rows == GO_ATHENA_API.rows ? GO_ATHENA_API : PYATHENA_API;
                    System.out.printf(
                            "  published, end to end: %s %,.0f rows/s = %.1fx %s%n",
                            published.name,
                            published.rowsPerSecond(),
                            published.rowsPerSecond() / api.rowsPerSecond(),
                            api.name);
                }
                spark.stop();
            }
        }
    }

    /**
     * Runs each {@link AthenaColdJob} as a fresh process against the emulator as is (no service time); the read
     * options go in a file, as they hold the S3 server's keys.
     */
    private static FreshProcessRun.ColdFigures coldJobs(Map<String, String> options, String table, long rows)
            throws IOException {
        Path work = Files.createDirectories(ProjectDirectory.root().resolve("target/bench-athena"));
        Path optionsFile = work.resolve("cold-read-options.properties");
        Properties properties = new Properties();
        properties.putAll(options);
        try (Writer out = Files.newBufferedWriter(optionsFile, StandardCharsets.UTF_8)) {
            properties.store(out, "read options of the cold jobs");
        }
        List<FreshProcessRun.Job> jobs = new ArrayList<>();
        for (String job : AthenaColdJob.JOBS) {
            jobs.add(new FreshProcessRun.Job(
                    AthenaColdJob.describe(job), List.of(job, optionsFile.toString(), table, Long.toString(rows))));
        }
        try {
            return FreshProcessRun.runJobs(AthenaColdJob.class.getName(), jobs, work, "rows", rows);
        } finally {
            Files.delete(optionsFile);
        }
    }

    /** csv and unload against Athena's published API rates, which do not depend on how fast our api read is. */
    private static void printVsPublishedApi(Map<String, Double> readRates) {
        for (PublishedRun published : new PublishedRun[] {PYATHENA_API, GO_ATHENA_API}) {
            System.out.printf(
                    "  vs %s's published %,.0f rows/s (%,d rows in %d s): csv %.1fx, unload %.1fx%n",
                    published.name,
                    published.rowsPerSecond(),
                    published.rows,
                    published.seconds,
                    readRates.get("csv") / published.rowsPerSecond(),
                    readRates.get("unload") / published.rowsPerSecond());
        }
    }

    private static void createTable(AthenaEmulator athena, String name, long rows) throws Exception {
        athena.sql("CREATE TABLE bench." + name + " AS SELECT i AS id, i % 3 = 0 AS flag,"
                + " CAST(i % 100 AS TINYINT) AS small, CAST(i % 100000 AS INTEGER) AS num, i * 1.25 AS ratio,"
                + " CAST(i AS DECIMAL(18,2)) / 100 AS amount, 'customer-' || (i % 50000) AS name,"
                + " DATE '2020-01-01' + CAST(i % 1500 AS INTEGER) AS day, TIMESTAMP '2020-01-01 00:00:00' + to_seconds(i) AS at,"
                + " CASE WHEN i % 10 = 0 THEN NULL WHEN i % 10 = 1 THEN '' ELSE 'note \"' || i || '\", ok' END AS note"
                + " FROM range(" + rows + ") t(i)");
    }

    /** Reads the table through each mode, prints one line per mode, and returns each mode's read rows/s. */
    private static Map<String, Double> runModes(
            SparkSession spark, Map<String, String> options, String table, long rows, S3Server s3) {
        System.out.printf(
                "%-8s %10s %10s %10s %14s %10s %12s%n",
                "mode", "query s", "read s", "total s", "read rows/s", "vs api", "S3 requests");
        Map<String, Double> readRates = new LinkedHashMap<>();
        for (String mode : MODES) {
            Timing timing = read(spark, options, mode, table, rows, s3);
            readRates.put(mode, rows / timing.readSeconds);
            System.out.printf(
                    "%-8s %10.2f %10.2f %10.2f %,14.0f %9.1fx %12d%n",
                    mode,
                    timing.querySeconds,
                    timing.readSeconds,
                    timing.querySeconds + timing.readSeconds,
                    rows / timing.readSeconds,
                    readRates.get(mode) / readRates.get("api"),
                    timing.s3Requests);
        }
        return readRates;
    }

    /**
     * Seconds for load() (the query runs) and for count(), and the S3 requests the reader made in both. A user's
     * query is never pruned, so count() decodes every value of every row, through one read.
     */
    private static Timing read(
            SparkSession spark, Map<String, String> options, String mode, String table, long rows, S3Server s3) {
        long s3Before = s3.readerRequests();
        long start = System.nanoTime();
        Dataset<Row> frame = spark.read()
                .format("athena")
                .options(options)
                .option("fetchMode", mode)
                .option("query", "SELECT * FROM " + table)
                .load();
        long loaded = System.nanoTime();
        long count = frame.count();
        long read = System.nanoTime();
        if (count != rows) {
            throw new IllegalStateException(mode + " returned " + count + " rows, expected " + rows);
        }
        return new Timing((loaded - start) / 1e9, (read - loaded) / 1e9, s3.readerRequests() - s3Before);
    }

    private record Timing(double querySeconds, double readSeconds, long s3Requests) {}

    private record PublishedRun(String name, long rows, long seconds) {
        double rowsPerSecond() {
            return (double) rows / seconds;
        }
    }
}
