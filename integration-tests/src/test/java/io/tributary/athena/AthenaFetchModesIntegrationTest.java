package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.PluginMetricsScrape;
import io.tributary.testing.athena.AthenaEmulator;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import scala.jdk.javaapi.CollectionConverters;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** api, csv, unload and auto against the Athena emulator and S3Proxy, through the shaded plugin jar. */
class AthenaFetchModesIntegrationTest {
    private static final String ALL_TYPES = "SELECT * FROM types ORDER BY id";

    private static List<Row> rows(String fetchMode, String query) throws Exception {
        return SharedAthena.read(SharedAthena.athena())
                .option("fetchMode", fetchMode)
                .option("query", query)
                .load()
                .collectAsList();
    }

    @ParameterizedTest(name = "fetchMode={0}")
    @ValueSource(strings = {"api", "csv"})
    void apiAndCsvReadEveryTypeWithNullAndEmptyApart(String mode) throws Exception {
        Dataset<Row> frame = SharedAthena.read(SharedAthena.athena())
                .option("fetchMode", mode)
                .option("query", ALL_TYPES)
                .load();
        StructType schema = frame.schema();
        assertEquals(DataTypes.ByteType, schema.apply("ti").dataType(), mode);
        assertEquals(DataTypes.ShortType, schema.apply("si").dataType(), mode);
        assertEquals(DataTypes.FloatType, schema.apply("r").dataType(), mode);
        assertEquals(DataTypes.createDecimalType(12, 3), schema.apply("dec").dataType(), mode);
        assertEquals(DataTypes.TimestampNTZType, schema.apply("ts").dataType(), mode);
        assertEquals(DataTypes.TimestampType, schema.apply("tz").dataType(), mode);
        assertEquals(DataTypes.BinaryType, schema.apply("bin").dataType(), mode);
        assertEquals(DataTypes.StringType, schema.apply("arr").dataType(), mode);
        List<Row> rows = frame.collectAsList();
        assertEquals(4, rows.size(), mode);

        Row first = rows.get(0);
        assertEquals(1, first.getInt(0));
        assertEquals(true, first.getBoolean(1));
        assertEquals((byte) -8, first.getByte(2));
        assertEquals((short) 300, first.getShort(3));
        assertEquals(9007199254740993L, first.getLong(4));
        assertEquals(1.5f, first.getFloat(5));
        assertEquals(-2.25, first.getDouble(6));
        assertEquals(new BigDecimal("12345.678"), first.getDecimal(7));
        assertEquals("plain", first.getString(8));
        assertEquals(Date.valueOf("2023-01-01"), first.getDate(9));
        assertEquals(LocalDateTime.parse("2023-01-01T12:34:56.789"), first.get(10));
        assertEquals(Timestamp.from(Instant.parse("2023-06-01T08:00:00.500Z")), first.getTimestamp(11));
        assertArrayEquals(new byte[] {0x61, 0x62, 0x00}, (byte[]) first.get(12));
        assertEquals("{\"k\": [1, 2]}", first.getString(13));
        assertEquals("[1, 2, null]", first.getString(14));
        assertEquals("{a=1, b=2}", first.getString(15));
        assertEquals("{x=7, y=seven}", first.getString(16));

        Row empty = rows.get(1);
        assertEquals("", empty.getString(8), mode + ": the empty string must not become NULL");
        assertArrayEquals(new byte[0], (byte[]) empty.get(12));
        assertEquals("[]", empty.getString(14));
        assertEquals("{x=null, y=}", empty.getString(16));
        assertNull(empty.get(11));

        Row nulls = rows.get(2);
        for (int i = 1; i < nulls.size(); i++) {
            assertTrue(nulls.isNullAt(i), mode + ": column " + i + " must be NULL");
        }

        Row awkward = rows.get(3);
        assertEquals("she said \"hi\", then\nleft,\r\n\"\"", awkward.getString(8));
        assertEquals(Long.MIN_VALUE, awkward.getLong(4));
        assertEquals(-0.5f, awkward.getFloat(5));
        assertEquals(1e300, awkward.getDouble(6));
        assertEquals(new BigDecimal("-0.001"), awkward.getDecimal(7));
        assertEquals(Date.valueOf("9999-12-31"), awkward.getDate(9));
        assertArrayEquals(new byte[] {'"', ',', '\n'}, (byte[]) awkward.get(12));
        assertEquals("\"\"", awkward.getString(13));
        assertEquals("{q\"=null}", awkward.getString(15));
    }

    @Test
    void csvSplitsAtRecordBoundariesAcrossPartitions() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        // Values full of quotes, commas and newlines, some NULL, some empty: a split boundary lands inside many.
        String query = "SELECT i, CASE WHEN i % 7 = 0 THEN NULL WHEN i % 7 = 1 THEN '' ELSE"
                + " repeat('\"a,\n', i % 5) || 'row ' || i || '\n\"' END AS text FROM range(20000) t(i) ORDER BY i";
        Dataset<Row> frame = SharedAthena.read(athena)
                .option("fetchMode", "csv")
                .option("csvSplitSize", "16k")
                .option("query", query)
                .load();
        assertTrue(
                frame.rdd().getNumPartitions() > 10,
                "partitions: " + frame.rdd().getNumPartitions());
        List<Row> rows = frame.collectAsList();
        assertEquals(20000, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertEquals(i, row.getLong(0));
            String expected = i % 7 == 0 ? null : i % 7 == 1 ? "" : "\"a,\n".repeat(i % 5) + "row " + i + "\n\"";
            assertEquals(expected, row.getString(1), "row " + i);
        }
    }

    @Test
    void apiPagesThousandRowsAtATimeWithTheHeaderOnTheFirstPage() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        int before = athena.calls("GetQueryResults");
        List<Row> rows = rows("api", "SELECT i FROM range(2500) t(i) ORDER BY i");
        assertEquals(2500, rows.size());
        long sum = 0;
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getLong(0));
            sum += rows.get(i).getLong(0);
        }
        assertEquals(2500L * 2499 / 2, sum);
        // One call for the column metadata, then 2501 rows (header included) in pages of 1000: 3 pages.
        assertEquals(4, athena.calls("GetQueryResults") - before);
    }

    @Test
    void queryRunsOncePerDataFrame() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        int before = athena.statements().size();
        Dataset<Row> frame = SharedAthena.read(athena)
                .option("fetchMode", "csv")
                .option("query", "SELECT 42 AS answer")
                .load();
        assertEquals(1, athena.statements().size() - before, "load() runs the query for the schema");
        assertEquals(1, frame.count());
        assertEquals(42, frame.collectAsList().get(0).getInt(0));
        assertEquals(1, frame.filter("answer = 42").count());
        assertEquals(1, athena.statements().size() - before, "actions reuse the finished query");
    }

    @Test
    void unloadReadsParquetFilesAsPartitionsWithNestedTypes() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        athena.unloadRowsPerFile(2048);
        try {
            Dataset<Row> frame = SharedAthena.read(athena)
                    .option("fetchMode", "unload")
                    .option("keepUnloadOutput", "true")
                    .option(
                            "query",
                            "SELECT i, [i, NULL] AS pair, MAP {'k': i} AS m, {'x': i, 'y': 'v' || i} AS st,"
                                    + " CAST(i / 4 AS DECIMAL(18,4)) AS q, TIMESTAMP '2023-01-01 00:00:00' + to_seconds(i) AS ts,"
                                    + " CASE WHEN i % 2 = 0 THEN '' END AS e FROM range(5000) t(i) ORDER BY i")
                    .load();
            String unload = athena.statements().get(athena.statements().size() - 1);
            assertTrue(
                    unload.matches(
                            "UNLOAD \\(SELECT i, .*\\) TO 's3://athena-results/queries/tributary-unload/[0-9a-f-]{36}/'"
                                    + " WITH \\(format = 'PARQUET', compression = 'SNAPPY'\\)"),
                    unload);
            assertEquals(3, frame.rdd().getNumPartitions());
            assertEquals(
                    "struct<i:bigint,pair:array<bigint>,m:map<string,bigint>,st:struct<x:bigint,y:string>,"
                            + "q:decimal(18,4),ts:timestamp_ntz,e:string>",
                    frame.schema().simpleString());
            List<Row> rows = new ArrayList<>(frame.collectAsList());
            rows.sort((a, b) -> Long.compare(a.getLong(0), b.getLong(0)));
            assertEquals(5000, rows.size());
            Row row = rows.get(4001);
            assertEquals(4001L, row.getLong(0));
            assertEquals(
                    Arrays.asList(4001L, null),
                    CollectionConverters.asJava(row.<scala.collection.Seq<Object>>getAs(1)));
            assertEquals(
                    Map.of("k", 4001L),
                    CollectionConverters.asJava(row.<scala.collection.Map<Object, Object>>getAs(2)));
            assertEquals(4001L, row.getStruct(3).getLong(0));
            assertEquals("v4001", row.getStruct(3).getString(1));
            assertEquals(new BigDecimal("1000.2500"), row.getDecimal(4));
            assertEquals(LocalDateTime.parse("2023-01-01T01:06:41"), row.get(5));
            assertNull(row.get(6));
            assertEquals("", rows.get(4000).getString(6));
            String prefix = unload.substring(
                    unload.indexOf("'s3://athena-results/") + "'s3://athena-results/".length(),
                    unload.lastIndexOf("' WITH"));
            try (S3Client s3 = SharedAthena.s3().client()) {
                List<S3Object> files = s3.listObjectsV2(
                                r -> r.bucket(SharedAthena.BUCKET).prefix(prefix))
                        .contents();
                assertEquals(3, files.size(), "keepUnloadOutput=true keeps the files");
            }
        } finally {
            athena.unloadRowsPerFile(122_880);
        }
    }

    @Test
    void unloadOfAnEmptyResultKeepsTheColumns() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        Dataset<Row> frame = SharedAthena.read(athena)
                .option("fetchMode", "unload")
                .option("query", "SELECT i, 'v' || i AS label FROM range(10) t(i) WHERE i > 100")
                .load();
        assertEquals("struct<i:bigint,label:string>", frame.schema().simpleString());
        assertEquals(0, frame.collectAsList().size());
        List<String> statements = athena.statements();
        assertEquals(
                "SELECT * FROM (SELECT i, 'v' || i AS label FROM range(10) t(i) WHERE i > 100) LIMIT 0",
                statements.get(statements.size() - 1),
                "UNLOAD wrote no file, so the columns come from a LIMIT 0 query");
    }

    @Test
    void everyFetchModeCountsItsRowsAndQueriesInThePluginMetrics() throws Exception {
        for (String mode : List.of("api", "csv", "unload")) {
            String rowsLabel = "fetch_mode=\"" + mode + "\"";
            double rowsBefore = PluginMetricsScrape.value("tributary_athena_rows_total", rowsLabel);
            double queriesBefore = PluginMetricsScrape.value("tributary_athena_queries_total", "outcome=\"succeeded\"");
            assertEquals(
                    2500,
                    rows(mode, "SELECT i, '" + mode + "' AS mode FROM range(2500) t(i)")
                            .size());
            assertEquals(
                    rowsBefore + 2500,
                    PluginMetricsScrape.await("tributary_athena_rows_total", rowsLabel, rowsBefore + 2500),
                    mode);
            assertEquals(
                    queriesBefore + 1,
                    PluginMetricsScrape.await(
                            "tributary_athena_queries_total", "outcome=\"succeeded\"", queriesBefore + 1),
                    mode);
        }
        assertTrue(PluginMetricsScrape.value("tributary_athena_s3_bytes_total", "") > 0);
        assertTrue(PluginMetricsScrape.value("tributary_athena_calls_total", "operation=\"GetQueryResults\"") > 0);
    }

    @Test
    void unloadOutputIsRemovedWhenNoDataFrameNeedsItAnyMore() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        Dataset<Row> frame = SharedAthena.read(athena)
                .option("fetchMode", "unload")
                .option("query", "SELECT i FROM range(10) t(i)")
                .load();
        assertEquals(10, frame.count());
        String unload = athena.statements().get(athena.statements().size() - 1);
        String prefix = unload.substring(
                unload.indexOf("'s3://athena-results/") + "'s3://athena-results/".length(),
                unload.lastIndexOf("' WITH"));
        try (S3Client s3 = SharedAthena.s3().client()) {
            assertEquals(
                    1,
                    s3.listObjectsV2(r -> r.bucket(SharedAthena.BUCKET).prefix(prefix))
                            .contents()
                            .size());
            // What the table's cleaner and the JVM's shutdown hook run.
            UnloadOutputJanitor.deleteAll();
            assertEquals(
                    0,
                    s3.listObjectsV2(r -> r.bucket(SharedAthena.BUCKET).prefix(prefix))
                            .contents()
                            .size());
        }
    }

    @Test
    void aGivenSchemaRetypesTextResultsAndMustMatchParquet() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        Row row = SharedAthena.read(athena)
                .schema("answer STRING, day STRING")
                .option("query", "SELECT 42 AS answer, DATE '2023-01-01' AS day")
                .load()
                .collectAsList()
                .get(0);
        assertEquals("42", row.getString(0));
        assertEquals("2023-01-01", row.getString(1));
        Exception e = assertThrows(
                Exception.class,
                () -> SharedAthena.read(athena)
                        .schema("answer STRING")
                        .option("fetchMode", "unload")
                        .option("query", "SELECT 42 AS answer")
                        .load()
                        .collectAsList());
        assertEquals(
                "The schema struct<answer:string> does not match the Parquet files UNLOAD wrote"
                        + " (struct<answer:int>); drop the schema or use fetchMode=csv",
                e.getMessage());
    }

    @Test
    void autoExplainsItsChoice() throws Exception {
        Dataset<Row> query = SharedAthena.read(SharedAthena.athena())
                .option("query", "SELECT 1 AS one")
                .load();
        assertEquals(1, query.collectAsList().get(0).getInt(0));
        String plan = query.queryExecution().executedPlan().toString();
        assertTrue(plan.contains("fetchMode=csv (auto: the result file s3://athena-results/queries/"), plan);

        Dataset<Row> managed = SharedAthena.read(SharedAthena.managed())
                .option("query", "SELECT 1 AS one")
                .load();
        assertEquals(1, managed.collectAsList().get(0).getInt(0));
        String managedPlan = managed.queryExecution().executedPlan().toString();
        assertTrue(managedPlan.contains("fetchMode=api (auto: the query left no CSV result file"), managedPlan);

        Dataset<Row> table = SharedAthena.read(SharedAthena.athena())
                .option("table", "db.people")
                .load()
                .select("id", "name")
                .filter("id = 2");
        List<Row> rows = table.collectAsList();
        assertEquals(
                List.of(Row.fromSeq(CollectionConverters.asScala(List.<Object>of(2, "Smith"))
                        .toSeq())),
                rows);
        String tablePlan = table.queryExecution().executedPlan().toString();
        assertTrue(
                tablePlan.contains("fetchMode=unload (auto: table mode with only column types UNLOAD writes to Parquet"
                        + " and results go to s3://athena-results/queries/)"),
                tablePlan);
    }
}
