package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.arrow.AllTypesFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FormattedMode$;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data modes, settings, and every way a transform can fail, with real workers. */
class PythonTransformIntegrationTest {
    static SparkSession spark;
    static final StructType LONG_A = StructType.fromDDL("a BIGINT");

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = ByzerPythonTutorialIntegrationTest.pythonSession();
        spark.conf().set("spark.tributary.python.conf.region", "eu-west-1");
    }

    static String failureOf(Dataset<Row> result) {
        Exception e = assertThrows(Exception.class, result::collectAsList);
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    static final String COUNT_ROWS = """
            from pyjava.api.mlsql import RayContext
            ray_context = RayContext.connect(globals(), None)
            context.build_result([{"n": sum(1 for _ in ray_context.collect())}])
            """;

    @Test
    void modelRunsOnceOverAllPartitionsDataRunsPerPartition() {
        Dataset<Row> input = spark.range(0, 1000, 1, 4).toDF();
        StructType n = StructType.fromDDL("n BIGINT");
        assertEquals(
                "[[1000]]",
                PythonTransform.of(COUNT_ROWS)
                        .schema(n)
                        .dataMode(DataMode.MODEL)
                        .apply(input)
                        .collectAsList()
                        .toString());
        assertEquals(
                "[[250], [250], [250], [250]]",
                PythonTransform.of(COUNT_ROWS)
                        .schema(n)
                        .dataMode(DataMode.DATA)
                        .apply(input)
                        .collectAsList()
                        .toString());
    }

    @Test
    void runInDriverRunsOnceWhenFirstNeeded() throws Exception {
        Path marker = tmp.resolve("runs.txt");
        String code = """
                from pyjava.api.mlsql import RayContext
                ray_context = RayContext.connect(globals(), None)
                with open(context.conf["marker"], "a") as f:
                    f.write("ran\\n")
                context.build_result({"id": row["id"] * 10} for row in ray_context.collect())
                """;
        Dataset<Row> out = PythonTransform.of(code)
                .schema(StructType.fromDDL("id BIGINT"))
                .runIn(RunIn.DRIVER)
                .conf("marker", marker.toString())
                .apply(spark.range(0, 7, 1, 3).toDF());
        out.explain("extended");
        assertFalse(Files.exists(marker), "planning alone ran the script");
        assertEquals(
                "[[0], [10], [20], [30], [40], [50], [60]]",
                out.orderBy("id").collectAsList().toString());
        assertEquals(7, out.count());
        assertEquals(List.of("ran"), Files.readAllLines(marker), "one run for both actions");

        String failure = failureOf(PythonTransform.of("1 / 0")
                .schema(LONG_A)
                .runIn(RunIn.DRIVER)
                .apply(spark.range(1).toDF()));
        assertTrue(failure.contains("ZeroDivisionError"), failure);
    }

    @Test
    void explainNamesTheTransformButNotItsScriptOrConfValues() {
        String code = """
                api_token = "hunter2-in-the-script"
                context.build_result([{"a": 1}])
                """;
        Dataset<Row> out = PythonTransform.of(code)
                .schema(LONG_A)
                .dataMode(DataMode.DATA)
                .conf("apiToken", "t0ps3cr3t-conf")
                .apply(spark.range(0, 3, 1, 1).toDF());
        String plans = out.queryExecution().toString() + out.queryExecution().explainString(FormattedMode$.MODULE$);
        assertTrue(
                plans.contains("Scan ExistingRDD PythonTransform(dataMode=data, runIn=executor, "
                        + "schema=struct<a:bigint>, script=sha256:"),
                plans);
        assertTrue(plans.contains("(2 lines)") && plans.contains("conf keys=[apiToken, region])"), plans);
        assertFalse(plans.contains("hunter2") || plans.contains("t0ps3cr3t") || plans.contains("eu-west-1"), plans);
        assertEquals("[[1]]", out.collectAsList().toString());
    }

    @Test
    void batchApiAndConf() {
        String code = """
                import pyarrow.compute as pc
                from pyjava.api.mlsql import RayContext
                ray_context = RayContext.connect(globals(), None)
                def doubled():
                    for batch in ray_context.collect_batches():
                        yield batch.set_column(0, "id", pc.multiply(batch.column(0), 2))
                context.build_result(doubled())
                context.build_result([{"id": -1, "region": context.conf["region"] + "/" + context.conf["query"]}])
                """;
        Dataset<Row> out = PythonTransform.of(code)
                .schema(StructType.fromDDL("id BIGINT, region STRING"))
                .conf("query", "q1")
                .dataMode(DataMode.DATA)
                .apply(spark.range(0, 5, 1, 1).selectExpr("id", "'x' AS region"));
        assertEquals(
                "[[-1,eu-west-1/q1], [0,x], [2,x], [4,x], [6,x], [8,x]]",
                out.orderBy("id").collectAsList().toString());
    }

    @Test
    void mismatchingRowNamesFieldTypeValueAndRow() {
        String message = failureOf(PythonTransform.of("context.build_result([{'a': 1}, {'a': 'two', 'b': 3}])")
                .schema(LONG_A)
                .apply(spark.emptyDataFrame()));
        assertTrue(
                message.contains("row 1 does not match the declared schema: field 'a' expects bigint, got str "
                        + "'two' (not an integer); row: {'a': 'two', 'b': 3}"),
                message);

        String doubleToLong = failureOf(PythonTransform.of("context.build_result([{'a': 2.0}])")
                .schema(LONG_A)
                .apply(spark.emptyDataFrame()));
        assertTrue(doubleToLong.contains("field 'a' expects bigint, got float 2.0 (not an integer)"), doubleToLong);
    }

    @Test
    void widensIntToLongAndDoubleAndFloatToDouble() {
        String code = "context.build_result([{'l': 1, 'd': 2, 'f': 1.5, 'arr': [1, 2.5]}])";
        assertEquals(
                "[[1,2.0,1.5,WrappedArray(1.0, 2.5)]]".replace("WrappedArray", "ArraySeq"),
                PythonTransform.of(code)
                        .schema(StructType.fromDDL("l BIGINT, d DOUBLE, f DOUBLE, arr ARRAY<DOUBLE>"))
                        .apply(spark.emptyDataFrame())
                        .collectAsList()
                        .toString());
    }

    @Test
    void pythonExceptionFailsTheTaskWithItsTraceback() {
        String code = """
                def score(row):
                    raise RuntimeError("bad data in row %d" % row["id"])
                from pyjava.api.mlsql import RayContext
                RayContext.connect(globals(), None).foreach(score)
                """;
        String message = failureOf(PythonTransform.of(code)
                .schema(LONG_A)
                .dataMode(DataMode.DATA)
                .apply(spark.range(3, 4).toDF()));
        assertTrue(message.contains("The Python transform failed:\nTraceback (most recent call last):"), message);
        assertTrue(message.contains("line 2, in score"), message);
        assertTrue(message.contains("RuntimeError: bad data in row 3"), message);
    }

    @Test
    void workerKilledMidBatchFailsTheTaskAndIsNotReused() {
        String code = """
                import os, signal
                from pyjava.api.mlsql import RayContext
                def echo(rows):
                    for row in rows:
                        if row["id"] == 3000:
                            os.kill(os.getpid(), signal.SIGKILL)
                        yield {"a": row["id"]}
                RayContext.connect(globals(), None).map_iter(echo)
                """;
        String message = failureOf(PythonTransform.of(code)
                .schema(LONG_A)
                .option("maxRecordsPerBatch", "1000")
                .apply(spark.range(0, 10_000, 1, 1).toDF()));
        assertTrue(message.contains("The Python worker died while sending results: Python worker pid "), message);
        assertTrue(message.contains(") exited with code 137"), message);
        // The next transform gets a live worker.
        assertEquals(
                "[[10000]]",
                PythonTransform.of(COUNT_ROWS)
                        .schema(StructType.fromDDL("n BIGINT"))
                        .apply(spark.range(0, 10_000, 1, 1).toDF())
                        .collectAsList()
                        .toString());
    }

    @Test
    void hungWorkerIsKilledAfterTheTimeout() {
        String code = """
                import time
                print("going to sleep", flush=True)
                time.sleep(600)
                """;
        String message = assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> failureOf(PythonTransform.of(code)
                        .schema(LONG_A)
                        .timeout(Duration.ofSeconds(2))
                        .apply(spark.emptyDataFrame())));
        assertTrue(
                message.contains("The Python transform did not finish within its timeout of 2.0 s (option "
                        + "'timeout'); worker pid "),
                message);
        assertTrue(message.contains("was killed; last stderr lines:\n  going to sleep"), message);
    }

    @Test
    void missingInterpreterOrPyarrowSaysHowToFixIt() throws Exception {
        Path missing = tmp.resolve("no-such-venv");
        String message = failureOf(PythonTransform.of("pass")
                .schema(LONG_A)
                .env(missing.toString())
                .apply(spark.emptyDataFrame()));
        assertTrue(message.contains("Cannot start the Python interpreter '" + missing + "/bin/python'"), message);
        assertTrue(message.contains("Set spark.tributary.python.executable to a python3 that has pyarrow"), message);

        Path bare = tmp.resolve("bare-venv");
        Process venv = new ProcessBuilder(
                        ByzerPythonTutorialIntegrationTest.python(), "-m", "venv", "--without-pip", bare.toString())
                .inheritIO()
                .start();
        assertEquals(0, venv.waitFor());
        String noPyarrow = failureOf(
                PythonTransform.of("pass").schema(LONG_A).env(bare.toString()).apply(spark.emptyDataFrame()));
        assertTrue(noPyarrow.contains("pyarrow is not installed for " + bare), noPyarrow);
        assertTrue(noPyarrow.contains("-m pip install pyarrow`"), noPyarrow);
    }

    @Test
    void failedTransformLeavesTheDeltaTableAtItsVersion() {
        String table = tmp.resolve("scores").toString();
        PythonTransform.of("context.build_result([{'a': 1}, {'a': 2}])")
                .schema(LONG_A)
                .apply(spark.emptyDataFrame())
                .write()
                .format("delta")
                .save(table);
        String failing = """
                def rows():
                    for i in range(100000):
                        if i == 50000:
                            raise ValueError("half way")
                        yield {"a": i}
                context.build_result(rows())
                """;
        Dataset<Row> bad = PythonTransform.of(failing).schema(LONG_A).apply(spark.emptyDataFrame());
        Exception e = assertThrows(
                Exception.class,
                () -> bad.write().format("delta").mode("overwrite").save(table));
        assertTrue(
                String.valueOf(e.getMessage()).contains("ValueError: half way")
                        || String.valueOf(e.getCause()).contains("ValueError: half way"),
                e.toString());
        assertEquals(
                List.of(0L),
                spark.sql("DESCRIBE HISTORY delta.`" + table + "`")
                        .selectExpr("version")
                        .as(org.apache.spark.sql.Encoders.LONG())
                        .collectAsList());
        assertEquals(
                "[[1], [2]]",
                spark.read()
                        .format("delta")
                        .load(table)
                        .orderBy("a")
                        .collectAsList()
                        .toString());
    }

    /**
     * A partitioned Parquet table, a Delta table and a cached Dataset reach the worker as column-by-column copies of
     * their columnar batches (several per partition, sliced into Arrow batches of another size); what the script
     * sees and returns must be exactly their rows, nulls and nested values included, in row and batch mode.
     */
    @Test
    void columnarInputsReachTheScriptAsTheirRows() {
        Dataset<Row> source = spark.range(0, 25_000, 1, 3)
                .selectExpr(
                        "id",
                        "CAST(id % 7 AS INT) AS i",
                        "IF(id % 5 = 0, NULL, id / 2) AS d",
                        "IF(id % 3 = 0, NULL, concat('v', id)) AS s",
                        "CAST(id AS DECIMAL(20, 2)) AS dec",
                        "date_add(DATE'2024-01-01', CAST(id % 400 AS INT)) AS day",
                        "IF(id % 11 = 0, NULL, array(id * 1.0, NULL)) AS arr",
                        "named_struct('x', id, 'y', CAST(id AS STRING)) AS st",
                        "CAST(id % 4 AS STRING) AS p");
        String parquet = tmp.resolve("parquet").toString();
        source.write().partitionBy("p").parquet(parquet);
        String delta = tmp.resolve("delta").toString();
        source.write().format("delta").save(delta);
        // Spark's cache hands out columnar batches only for numbers and booleans.
        Dataset<Row> cached =
                source.selectExpr("id", "i", "d", "id % 2 = 0 AS even").cache();
        Dataset<Row> cachedWithStrings = source.select("id", "s").cache();
        try {
            Map<String, Dataset<Row>> inputs = new LinkedHashMap<>();
            inputs.put("parquet", spark.read().parquet(parquet));
            inputs.put(
                    "parquet, fewer columns",
                    spark.read().parquet(parquet).select("id", "i", "d", "s", "dec", "day", "p"));
            inputs.put("delta", spark.read().format("delta").load(delta));
            inputs.put("cached", cached);
            for (Map.Entry<String, Dataset<Row>> entry : inputs.entrySet()) {
                Dataset<Row> input = entry.getValue();
                assertTrue(ColumnarInput.of(input).isPresent(), entry.getKey() + " is read as columnar batches");
                String expected = input.orderBy("id").collectAsList().toString();
                Dataset<Row> batches = PythonTransform.of(BATCH_IDENTITY)
                        .schema(input.schema())
                        .dataMode(DataMode.DATA)
                        .option("maxRecordsPerBatch", "3000")
                        .apply(input);
                assertEquals(expected, batches.orderBy("id").collectAsList().toString(), entry.getKey());
            }
            Dataset<Row> flat = inputs.get("parquet, fewer columns");
            Dataset<Row> rows = PythonTransform.of(ROW_IDENTITY)
                    .schema(flat.schema())
                    .dataMode(DataMode.MODEL)
                    .apply(flat);
            assertEquals(
                    flat.orderBy("id").collectAsList().toString(),
                    rows.orderBy("id").collectAsList().toString(),
                    "row mode");
            // Anything more than a columnar scan goes as rows.
            assertFalse(ColumnarInput.of(cachedWithStrings).isPresent(), "a cached Dataset with strings");
            assertFalse(ColumnarInput.of(source).isPresent(), "a computed Dataset");
            assertFalse(
                    ColumnarInput.of(spark.read().parquet(parquet).filter("i = 3"))
                            .isPresent(),
                    "a filtered scan");
        } finally {
            cached.unpersist(true);
            cachedWithStrings.unpersist(true);
        }
    }

    /**
     * Every type a transform takes, nulls at every level, in four partitions of which two are empty, through the
     * identity in batch mode: per partition (dataMode=data) and as one stream over all partitions (dataMode=model),
     * the rows are exactly the input's.
     */
    @Test
    void everyTypeComesBackExactlyPerPartitionAndAsOneStream() {
        Dataset<Row> input = AllTypesFixture.dataFrame(spark);
        List<String> expected = asJson(input);
        for (DataMode mode : DataMode.values()) {
            Dataset<Row> out = PythonTransform.of(BATCH_IDENTITY)
                    .schema(input.schema())
                    .dataMode(mode)
                    .apply(input);
            assertEquals(expected, asJson(out), mode.wireName());
        }
    }

    /** Rows as JSON in id order: binary and maps compare by value. */
    private static List<String> asJson(Dataset<Row> rows) {
        return rows.orderBy("id")
                .selectExpr("to_json(struct(*))")
                .as(Encoders.STRING())
                .collectAsList();
    }

    static final String BATCH_IDENTITY = """
            from pyjava.api.mlsql import RayContext
            ray_context = RayContext.connect(globals(), None)
            context.build_result(ray_context.collect_batches())
            """;

    static final String ROW_IDENTITY = """
            from pyjava.api.mlsql import RayContext
            ray_context = RayContext.connect(globals(), None)
            context.build_result(ray_context.collect())
            """;
}
