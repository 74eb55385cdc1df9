package io.tributary.bench.athena;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One cold job of the Athena benchmark, the whole of a fresh process as a user's spark-submit job would be: a
 * session, the query through one fetch mode with every row decoded into {@code format("noop")}, stop; or, as the
 * floor, as many rows of the same ten column types generated in memory into noop. {@link AthenaFetchBenchmark}
 * launches it through {@link io.tributary.bench.FreshProcessRun} against its emulator, without service time.
 *
 * <p>Arguments: {@code JOB OPTIONS TABLE ROWS}: JOB a fetch mode or {@code floor}; OPTIONS a properties file with the
 * read options (kept out of the command line, as they hold the S3 server's keys).
 */
public final class AthenaColdJob {
    static final String FLOOR = "floor";
    /** The fetch modes, then the floor last. */
    static final List<String> JOBS = List.of("api", "csv", "unload", FLOOR);

    private AthenaColdJob() {}

    static String describe(String job) {
        return job.equals(FLOOR)
                ? "the floor: as many rows of the same types from spark.range into noop"
                : "fetchMode=" + job + " (the query, then every row into noop)";
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 || !JOBS.contains(args[0])) {
            throw new IllegalArgumentException(
                    "Arguments: JOB OPTIONS TABLE ROWS, JOB one of " + JOBS + "; got " + List.of(args));
        }
        String job = args[0];
        Properties options = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[1]), StandardCharsets.UTF_8)) {
            options.load(in);
        }
        long rows = Long.parseLong(args[3]);
        SparkSession spark = SparkSession.builder()
                .appName("athena-fetch-benchmark-" + job)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        Dataset<Row> rowsToWrite;
        if (job.equals(FLOOR)) {
            rowsToWrite = spark.range(rows)
                    .selectExpr(
                            "id",
                            "id % 3 = 0 AS flag",
                            "CAST(id % 100 AS TINYINT) AS small",
                            "CAST(id % 100000 AS INT) AS num",
                            "id * 1.25 AS ratio",
                            "CAST(id AS DECIMAL(18,2)) / 100 AS amount",
                            "concat('customer-', id % 50000) AS name",
                            "date_add(DATE '2020-01-01', CAST(id % 1500 AS INT)) AS day",
                            "timestamp_seconds(1577836800 + id) AS at",
                            "CASE WHEN id % 10 = 0 THEN NULL WHEN id % 10 = 1 THEN ''"
                                    + " ELSE concat('note \"', id, '\", ok') END AS note");
        } else {
            rowsToWrite = spark.read()
                    .format("athena")
                    .options(toMap(options))
                    .option("fetchMode", job)
                    .option("query", "SELECT * FROM " + args[2])
                    .load();
        }
        rowsToWrite.write().format("noop").mode("overwrite").save();
        spark.stop();
    }

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return map;
    }
}
