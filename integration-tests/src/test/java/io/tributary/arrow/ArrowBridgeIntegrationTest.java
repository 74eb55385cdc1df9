package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tributary.testing.SparkTestSession;
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

/** The Arrow bridge as users get it: from the shaded plugin jar, by its short name. */
class ArrowBridgeIntegrationTest {
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        // The JVM's one session: whichever test class runs first must not decide its configuration.
        spark = SparkTestSession.get();
    }

    @Test
    void shortNameWritesAndReadsPartitionedData() throws Exception {
        String out = tmp.resolve("arrow").toString();
        Dataset<Row> df = spark.range(0, 1000, 1, 3).selectExpr("id", "CAST(id % 4 AS INT) AS p",
                "concat('row-', id) AS s");
        df.write().format("arrow").partitionBy("p").option("compression", "zstd").save(out);

        assertTrue(Files.exists(Path.of(out, "_SUCCESS")));
        assertEquals(4, Files.list(Path.of(out)).filter(d -> d.getFileName().toString().startsWith("p=")).count());
        Row r = spark.read().format("arrow").load(out)
                .selectExpr("count(*)", "sum(id)", "sum(p)", "count(DISTINCT s)", "max(s)").first();
        assertEquals("[1000,499500,1500,1000,row-999]", r.toString().replace(" ", ""));
    }

    @Test
    void driverExportIsOneArrowStream() throws Exception {
        Dataset<Row> df = spark.range(0, 10_000, 1, 4).selectExpr("id", "CAST(id AS STRING) AS s");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ArrowExport.writeStream(df, bytes, Map.of("maxRecordsPerBatch", "3000"));

        long rows = 0;
        List<Integer> batchSizes = new java.util.ArrayList<>();
        try (RootAllocator allocator = new RootAllocator();
                ArrowStreamReader reader = new ArrowStreamReader(new ByteArrayInputStream(bytes.toByteArray()),
                        allocator)) {
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
