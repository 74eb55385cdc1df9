package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arrow bridge as users get it: from the shaded plugin jar, by its short name, loaded by the venv's Python
 * ({@code TRIBUTARY_PYTHON}) with real Polars, pyarrow, pandas and DuckDB.
 */
class ArrowBridgeIntegrationTest {
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        // The JVM's one session: whichever test class runs first must not decide its configuration.
        spark = SparkTestSession.get();
    }

    /**
     * Spark's rows with java.time values, as the canonical form wants: java.sql.Date and Timestamp use the Julian
     * calendar before 1582, so the year-1 values would not compare.
     */
    private static JsonNode canonical(Dataset<Row> df) throws Exception {
        String key = "spark.sql.datetime.java8API.enabled";
        String before = spark.conf().get(key);
        spark.conf().set(key, "true");
        try {
            return CanonicalRows.JSON.readTree(CanonicalRows.of(df.collectAsList()));
        } finally {
            spark.conf().set(key, before);
        }
    }

    @Test
    void shortNameWritesAndReadsPartitionedData() throws Exception {
        String out = tmp.resolve("arrow").toString();
        Dataset<Row> df =
                spark.range(0, 1000, 1, 3).selectExpr("id", "CAST(id % 4 AS INT) AS p", "concat('row-', id) AS s");
        df.write()
                .format("arrow")
                .partitionBy("p")
                .option("compression", "zstd")
                .save(out);

        assertTrue(Files.exists(Path.of(out, "_SUCCESS")));
        assertEquals(
                4,
                Files.list(Path.of(out))
                        .filter(d -> d.getFileName().toString().startsWith("p="))
                        .count());
        Row r = spark.read()
                .format("arrow")
                .load(out)
                .selectExpr("count(*)", "sum(id)", "sum(p)", "count(DISTINCT s)", "max(s)")
                .first();
        assertEquals("[1000,499500,1500,1000,row-999]", r.toString().replace(" ", ""));
    }

    @Test
    void everyTypeLoadsThroughEveryDocumentedCallAndBackIntoSpark() throws Exception {
        Path out = tmp.resolve("all-types");
        AllTypesData.dataFrame(spark)
                .write()
                .format("arrow")
                .option("maxRecordsPerBatch", "2")
                .save(out.toString());
        JsonNode expected = canonical(AllTypesData.dataFrame(spark));

        // Polars (read_ipc with and without memory_map, scan_ipc), pyarrow, pandas and DuckDB, file by file and
        // the whole directory at once, all equal to what Spark holds.
        PythonArrowCheck.assertEveryCallReads(expected, PythonArrowCheck.FILE_CALLS, out);
        PythonArrowCheck.assertEveryCallReads(expected, PythonArrowCheck.DIRECTORY_CALLS, out);
        Dataset<Row> back = spark.read().format("arrow").load(out.toString());
        assertEquals(AllTypesData.SCHEMA.catalogString(), back.schema().catalogString());
        CanonicalRows.assertColumnsEqual(expected, canonical(back));
    }

    @Test
    void partitionedExportLoadsInOneCallPerToolAndBackIntoSpark() throws Exception {
        Path out = tmp.resolve("partitioned");
        Dataset<Row> df = AllTypesData.dataFrame(spark)
                .selectExpr(
                        "*",
                        "CASE WHEN id IN (1, 2) THEN 'a:b' WHEN id = 3 THEN NULL ELSE CAST(id % 2 AS STRING) END AS part");
        df.write()
                .format("arrow")
                .partitionBy("part")
                .option("compression", "lz4")
                .save(out.toString());
        JsonNode expected = canonical(df);

        PythonArrowCheck.assertEveryCallReads(expected, PythonArrowCheck.DIRECTORY_CALLS, out);
        Dataset<Row> back = spark.read().format("arrow").load(out.toString());
        assertEquals(df.schema().catalogString(), back.schema().catalogString());
        CanonicalRows.assertColumnsEqual(expected, canonical(back));
    }

    @Test
    void prometheusLongLayoutLoadsMemoryMappedInPolars() throws Exception {
        // The long layout's labels MAP<STRING,STRING> made Polars panic when it memory-mapped the export.
        Instant start = Instant.parse("2023-01-01T00:00:00Z");
        NodeMemoryHistory history = NodeMemoryHistory.builder()
                .instances(2)
                .groups(2)
                .start(start)
                .duration(Duration.ofHours(1))
                .specialSeries(true)
                .build();
        Path work = Files.createDirectories(tmp.resolve("prometheus"));
        history.writeOpenMetrics(work.resolve("history.om"));
        Path out = tmp.resolve("prometheus.arrow");
        try (PrometheusServer prometheus = PrometheusServer.start(work.resolve("server"), work.resolve("history.om"))) {
            Dataset<Row> samples = spark.read()
                    .format("prometheus")
                    .option("url", prometheus.url())
                    .option("start", start.toString())
                    .option("end", start.plus(Duration.ofHours(1)).toString())
                    .option("step", "60s")
                    .option(
                            "metrics",
                            NodeMemoryHistory.MEM_FREE + "," + NodeMemoryHistory.NON_FINITE_METRIC + ","
                                    + NodeMemoryHistory.PARTLY_GROUPED_METRIC)
                    .load()
                    .withColumn("id", org.apache.spark.sql.functions.monotonically_increasing_id())
                    .cache();
            try {
                samples.write()
                        .format("arrow")
                        .option("maxRecordsPerBatch", "100")
                        .save(out.toString());
                JsonNode expected = canonical(samples);
                assertTrue(expected.size() > 300, "rows: " + expected.size());
                assertEquals(
                        "List(Struct({'key': String, 'value': String}))",
                        PythonArrowCheck.run("polars", out)
                                .get("schema")
                                .get("labels")
                                .asText());
                PythonArrowCheck.assertEveryCallReads(expected, PythonArrowCheck.FILE_CALLS, out);
                Dataset<Row> back = spark.read().format("arrow").load(out.toString());
                assertEquals(samples.schema().catalogString(), back.schema().catalogString());
                CanonicalRows.assertColumnsEqual(expected, canonical(back));
            } finally {
                samples.unpersist();
            }
        }
    }

    @Test
    void driverExportIsOneArrowStream() throws Exception {
        Dataset<Row> df = spark.range(0, 10_000, 1, 4).selectExpr("id", "CAST(id AS STRING) AS s");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ArrowExport.writeStream(df, bytes, Map.of("maxRecordsPerBatch", "3000"));

        long rows = 0;
        List<Integer> batchSizes = new java.util.ArrayList<>();
        try (RootAllocator allocator = new RootAllocator();
                ArrowStreamReader reader =
                        new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()), allocator)) {
            while (reader.loadNextBatch()) {
                var root = reader.getVectorSchemaRoot();
                BigIntVector id = (BigIntVector) root.getVector("id");
                VarCharVector s = (VarCharVector) root.getVector("s");
                for (int i = 0; i < root.getRowCount(); i++) {
                    assertEquals(rows, id.get(i));
                    assertEquals(Long.toString(rows), new String(s.get(i), java.nio.charset.StandardCharsets.UTF_8));
                    rows++;
                }
                batchSizes.add(root.getRowCount());
            }
        }
        assertEquals(10_000, rows);
        // Four partitions of 2,500 rows: each fits in one batch of at most 3,000.
        assertEquals(List.of(2500, 2500, 2500, 2500), batchSizes);
    }
}
