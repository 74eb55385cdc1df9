package io.tributary.bench.arrow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * One cold job of the Arrow benchmark, the whole of a fresh process as a user's spark-submit job would be: a session,
 * ROWS rows × 20 columns generated and written as Arrow files or Parquet, then Polars loading them in a Python
 * process (a child of this one, so its CPU counts too), stop; or, as the floor, the same rows into noop.
 * {@link ArrowToPolarsBenchmark} launches it through {@link io.tributary.bench.FreshProcessRun}.
 *
 * <p>Arguments: {@code JOB ROWS DIR PYTHON}.
 */
public final class ArrowColdJob {
    static final String ARROW = "arrow";
    static final String PARQUET = "parquet";
    static final String FLOOR = "floor";
    /** In the order they run; the floor last. */
    static final List<String> JOBS = List.of(ARROW, PARQUET, FLOOR);

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            ARROW, "(a) format(\"arrow\") + pl.read_ipc(memory_map=True)",
            PARQUET, "(b) Spark Parquet + pl.read_parquet",
            FLOOR, "the floor: the same rows generated into noop, no file, no Python");

    private ArrowColdJob() {}

    static String describe(String job) {
        return DESCRIPTIONS.get(job);
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 4 || !JOBS.contains(args[0])) {
            throw new IllegalArgumentException(
                    "Arguments: JOB ROWS DIR PYTHON, JOB one of " + JOBS + "; got " + List.of(args));
        }
        String job = args[0];
        long rows = Long.parseLong(args[1]);
        Path dir = Path.of(args[2]);
        SparkSession spark = SparkSession.builder()
                .appName("tributary-bench-arrow-" + job)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        Dataset<Row> data = ArrowToPolarsBenchmark.data(spark, rows);
        if (job.equals(FLOOR)) {
            data.write().format("noop").mode(SaveMode.Overwrite).save();
        } else {
            data.write().format(job).mode(SaveMode.Overwrite).save(dir.toString());
            ArrowToPolarsBenchmark.loadInPolars(args[3], job, dir, rows);
        }
        spark.stop();
    }
}
