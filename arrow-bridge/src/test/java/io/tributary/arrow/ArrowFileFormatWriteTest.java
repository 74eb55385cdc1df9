package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ArrowFileFormatWriteTest extends SparkTestBase {
    /** Local mode runs tasks in this JVM, so a static counter sees every attempt. */
    static final AtomicInteger INJECTED_FAILURES = new AtomicInteger();

    @BeforeAll
    static void registerFailingUdfs() {
        // Fails the first attempt of the task holding id 50, after it wrote batches of earlier rows.
        spark.udf()
                .register(
                        "failFirstAttemptAt50",
                        (UDF1<Long, Long>) id -> {
                            if (id == 50 && TaskContext.get().attemptNumber() == 0) {
                                INJECTED_FAILURES.incrementAndGet();
                                throw new IllegalStateException("injected failure, attempt 0");
                            }
                            return id;
                        },
                        DataTypes.LongType);
        spark.udf()
                .register(
                        "alwaysFailAt50",
                        (UDF1<Long, Long>) id -> {
                            if (id == 50) {
                                throw new IllegalStateException("injected failure, every attempt");
                            }
                            return id;
                        },
                        DataTypes.LongType);
    }

    @Test
    void pyarrowReadsEveryTypeWithNullsAndEmptyPartitions() throws Exception {
        Path out = tmp.resolve("all");
        AllTypesData.dataFrame(spark)
                .write()
                .format("arrow")
                .option("maxRecordsPerBatch", "2")
                .save(out.toString());
        JsonNode read = PythonArrowCheck.run("pyarrow", out);

        assertEquals(3, read.get("files").asInt());
        // Partition 0 (empty) writes a schema-only file; rows 1-5 in batches of 2; row 6 alone.
        assertEquals("[[],[1],[2,2,1]]", read.get("batches").toString());
        for (var f : AllTypesData.SCHEMA.fields()) {
            assertEquals(
                    AllTypesData.EXPORTED_PYARROW_TYPES.get(f.name()),
                    read.get("schema").get(f.name()).asText(),
                    f.name());
        }
        CanonicalRows.assertColumnsEqual(AllTypesData.expected(spark), read.get("rows"));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("_temporary")));
    }

    @Test
    void polarsReadsEveryTypeMemoryMapped() throws Exception {
        Path out = tmp.resolve("polars");
        AllTypesData.dataFrame(spark).write().format("arrow").save(out.toString());
        JsonNode read = PythonArrowCheck.run("polars", out);

        assertEquals(3, read.get("files").asInt());
        assertEquals(
                "Datetime(time_unit='us', time_zone='UTC')",
                read.get("schema").get("ts").asText());
        assertEquals(
                "Datetime(time_unit='us', time_zone=None)",
                read.get("schema").get("ntz").asText());
        assertEquals(
                "Decimal(precision=38, scale=10)",
                read.get("schema").get("bigdec").asText());
        assertEquals("Null", read.get("schema").get("v").asText());
        // Polars 1.44 panics ("not yet implemented") memory-mapping an Arrow Map; these lists it maps.
        assertEquals(
                "List(Struct({'key': String, 'value': Int64}))",
                read.get("schema").get("m").asText());
        assertEquals(
                "List(List(Struct({'key': String, 'value': Int32})))",
                read.get("schema").get("a_m").asText());
        CanonicalRows.assertColumnsEqual(AllTypesData.expected(spark), read.get("rows"));
    }

    @Test
    void everyDocumentedCallLoadsEveryFileWithSparksValues() throws Exception {
        Path out = tmp.resolve("calls");
        AllTypesData.dataFrame(spark)
                .write()
                .format("arrow")
                .option("maxRecordsPerBatch", "2")
                .save(out.toString());
        PythonArrowCheck.assertEveryCallReads(AllTypesData.expected(spark), PythonArrowCheck.FILE_CALLS, out);
    }

    @Test
    void everyDocumentedCallLoadsAPartitionedDirectoryInOneGo() throws Exception {
        Path out = tmp.resolve("partitioned");
        // Partition values a number, a string Spark escapes in the path ('a:b' as 'a%3Ab') and null.
        Dataset<Row> df = AllTypesData.dataFrame(spark)
                .selectExpr(
                        "*",
                        "CASE WHEN id IN (1, 2) THEN 'a:b' WHEN id = 3 THEN NULL ELSE CAST(id % 2 AS STRING) END AS part");
        df.write().format("arrow").partitionBy("part").save(out.toString());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(Files.isDirectory(out.resolve("part=a%3Ab")));
        assertTrue(Files.isDirectory(out.resolve("part=__HIVE_DEFAULT_PARTITION__")));

        PythonArrowCheck.assertEveryCallReads(
                CanonicalRows.JSON.readTree(CanonicalRows.of(df.collectAsList())),
                PythonArrowCheck.DIRECTORY_CALLS,
                out);
    }

    @Test
    void compressedFilesLoadThroughEveryDocumentedCall() throws Exception {
        for (String codec : List.of("lz4", "zstd")) {
            Path out = tmp.resolve(codec);
            AllTypesData.dataFrame(spark)
                    .write()
                    .format("arrow")
                    .option("compression", codec)
                    .option("maxRecordsPerBatch", "2")
                    .save(out.toString());
            assertEquals(
                    3,
                    arrowFiles(out).stream()
                            .filter(f -> f.endsWith("." + codec + ".arrow"))
                            .count());
            // Small batches: compressing often does not shrink a buffer, which Arrow Java would then store raw,
            // and Polars panicked on raw decimal buffers.
            PythonArrowCheck.assertEveryCallReads(AllTypesData.expected(spark), PythonArrowCheck.FILE_CALLS, out);
        }
    }

    @Test
    void retriedTaskLeavesNoDuplicateRows() throws Exception {
        Path out = tmp.resolve("retry");
        INJECTED_FAILURES.set(0);
        spark.range(0, 100, 1, 2)
                .selectExpr("failFirstAttemptAt50(id) AS id", "CAST(id * 2 AS INT) AS twice")
                .write()
                .format("arrow")
                .option("maxRecordsPerBatch", "10")
                .save(out.toString());

        assertEquals(1, INJECTED_FAILURES.get());
        assertEquals(2, arrowFiles(out).size());
        JsonNode read = PythonArrowCheck.run("pyarrow", out);
        assertEquals("[[10,10,10,10,10],[10,10,10,10,10]]", read.get("batches").toString());
        JsonNode rows = read.get("rows");
        assertEquals(100, rows.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, rows.get(i).get("id").asLong());
            assertEquals(2 * i, rows.get(i).get("twice").asInt());
        }
        assertFalse(Files.exists(out.resolve("_temporary")));
    }

    @Test
    void failedJobLeavesNoArrowFiles() throws Exception {
        Path out = tmp.resolve("failed");
        Dataset<Row> failing = spark.range(0, 100, 1, 2).selectExpr("alwaysFailAt50(id) AS id");
        Exception e = assertThrows(
                Exception.class,
                () -> failing.write()
                        .format("arrow")
                        .option("maxRecordsPerBatch", "10")
                        .save(out.toString()));
        assertTrue(rootCauseMessage(e).contains("injected failure, every attempt"), rootCauseMessage(e));
        assertEquals(List.of(), arrowFiles(out));
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void saveModesBehaveAsSparkFileSources() throws Exception {
        String out = tmp.resolve("modes").toString();
        spark.range(0, 10).write().format("arrow").save(out);

        AnalysisException exists = assertThrows(
                AnalysisException.class,
                () -> spark.range(100, 105).write().format("arrow").save(out));
        assertTrue(exists.getMessage().contains("already exists"), exists.getMessage());

        spark.range(100, 105).write().format("arrow").mode("ignore").save(out);
        assertEquals(List.of(0L, 9L, 10L), minMaxCount(out));

        spark.range(10, 15).write().format("arrow").mode("append").save(out);
        assertEquals(List.of(0L, 14L, 15L), minMaxCount(out));

        spark.range(20, 23).write().format("arrow").mode("overwrite").save(out);
        assertEquals(List.of(20L, 22L, 3L), minMaxCount(out));
    }

    @Test
    void unsupportedTypeIsRejectedBeforeAnyFileIsWritten() throws Exception {
        Map<String, String> rejected = Map.of(
                "SELECT 1 AS id, INTERVAL '3' DAY AS wait",
                "column `wait` of the type \"INTERVAL DAY\"",
                "SELECT make_interval(1, 2, 3, 4, 5, 6, 7) AS ci",
                "column `ci` of the type \"INTERVAL\"",
                "SELECT named_struct('a', parse_json('1')) AS st",
                "column `st` of the type \"STRUCT<a: VARIANT NOT NULL>\"");
        Path fresh = tmp.resolve("fresh");
        String existing = tmp.resolve("existing").toString();
        spark.range(0, 4).write().format("arrow").save(existing);
        for (Map.Entry<String, String> e : rejected.entrySet()) {
            Dataset<Row> df = spark.sql(e.getKey());
            AnalysisException error = assertThrows(
                    AnalysisException.class, () -> df.write().format("arrow").save(fresh.toString()));
            assertEquals(
                    "[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Arrow datasource doesn't support the " + e.getValue()
                            + ". SQLSTATE: 0A000",
                    error.getMessage());
            assertFalse(Files.exists(fresh));
            // Overwrite must not delete the existing data when the new data cannot be written.
            assertThrows(
                    AnalysisException.class,
                    () -> df.write().format("arrow").mode("overwrite").save(existing));
            assertEquals(List.of(0L, 3L, 4L), minMaxCount(existing));
        }
    }

    @Test
    void invalidOptionNamesTheOptionAndKeepsExistingData() {
        String existing = tmp.resolve("existing").toString();
        spark.range(0, 4).write().format("arrow").save(existing);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> spark.range(1)
                        .write()
                        .format("arrow")
                        .mode("overwrite")
                        .option("compression", "gzip")
                        .save(existing));
        assertEquals("Option 'compression' must be one of none, lz4, zstd, got 'gzip'", e.getMessage());
        assertEquals(List.of(0L, 3L, 4L), minMaxCount(existing));
    }

    private static List<Long> minMaxCount(String path) {
        Row r = spark.read()
                .format("arrow")
                .load(path)
                .selectExpr("min(id)", "max(id)", "count(*)")
                .first();
        return List.of(r.getLong(0), r.getLong(1), r.getLong(2));
    }

    static List<String> arrowFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.map(Path::toString)
                    .filter(f -> f.endsWith(".arrow"))
                    .sorted()
                    .collect(Collectors.toList());
        }
    }

    static String rootCauseMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
