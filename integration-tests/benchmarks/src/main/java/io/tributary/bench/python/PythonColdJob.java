package io.tributary.bench.python;

import io.tributary.python.DataMode;
import io.tributary.python.PythonTransform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * One cold job of the Python transform benchmark, the whole of a fresh process as a user's spark-submit job would be:
 * a session, the identity transform over ROWS generated rows into {@code format("noop")}, stop.
 * {@link PythonTransformBenchmark} launches it through {@link io.tributary.bench.FreshProcessRun}.
 *
 * <p>Arguments: {@code JOB ROWS PYTHON}.
 */
public final class PythonColdJob {
    static final String SCRIPT_TRANSFORM = "select-transform";
    static final String ROW_MODE = "row-mode";
    static final String BATCH_MODE = "batch-mode";
    static final String FLOOR = "floor";
    /** In the order they run; the floor last. */
    static final List<String> JOBS = List.of(SCRIPT_TRANSFORM, ROW_MODE, BATCH_MODE, FLOOR);

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            SCRIPT_TRANSFORM, "Spark SELECT TRANSFORM ... USING 'python3 identity.py'",
            ROW_MODE, "Tributary row mode (map_iter over dicts)",
            BATCH_MODE, "Tributary batch mode (pyarrow RecordBatches)",
            FLOOR, "the floor: the same rows generated and written to noop, no transform");

    private PythonColdJob() {}

    static String describe(String job) {
        return DESCRIPTIONS.get(job);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !JOBS.contains(args[0])) {
            throw new IllegalArgumentException(
                    "Arguments: JOB ROWS PYTHON, JOB one of " + JOBS + "; got " + List.of(args));
        }
        String job = args[0];
        long rows = Long.parseLong(args[1]);
        String python = args[2];
        SparkSession spark = PythonTransformBenchmark.session(python, "tributary-bench-python-" + job);
        Dataset<Row> input = PythonTransformBenchmark.input(spark, rows);
        Path script = null;
        Dataset<Row> result;
        switch (job) {
            case SCRIPT_TRANSFORM -> {
                script = Files.createTempFile("tributary-identity", ".py");
                Files.writeString(script, PythonTransformBenchmark.IDENTITY_SCRIPT);
                input.createOrReplaceTempView("bench_input");
                result = spark.sql(PythonTransformBenchmark.transformSql(python, script));
            }
            case ROW_MODE ->
                result = PythonTransform.of(PythonTransformBenchmark.ROW_MODE)
                        .schema(PythonTransformBenchmark.SCHEMA)
                        .dataMode(DataMode.DATA)
                        .apply(input);
            case BATCH_MODE ->
                result = PythonTransform.of(PythonTransformBenchmark.BATCH_MODE)
                        .schema(PythonTransformBenchmark.SCHEMA)
                        .dataMode(DataMode.DATA)
                        .apply(input);
            default -> result = input;
        }
        result.write().format("noop").mode("overwrite").save();
        if (script != null) {
            Files.delete(script);
        }
        spark.stop();
    }
}
