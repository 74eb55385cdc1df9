package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Test;

class ArrowFileFormatReadTest extends SparkTestBase {

    @Test
    void readsBackEveryTypeAsWritten() throws Exception {
        String out = tmp.resolve("all").toString();
        AllTypesData.dataFrame(spark)
                .write()
                .format("arrow")
                .option("maxRecordsPerBatch", "2")
                .save(out);
        Dataset<Row> read = spark.read().format("arrow").load(out);

        assertEquals(AllTypesData.SCHEMA.catalogString(), read.schema().catalogString());
        assertEquals(
                CanonicalRows.of(AllTypesData.dataFrame(spark).collectAsList()),
                CanonicalRows.of(read.collectAsList()));
        // Columns can be pruned and computed on: the scan hands Spark only the requested vectors.
        Row agg = read.selectExpr("sum(i64 % 1000)", "max(s)", "count(arr)", "sum(size(m))")
                .first();
        assertEquals("[10,五,4,6]", agg.toString().replace(" ", ""));
        // Maps (written as lists of key/value structs) are Spark maps again: lookups by key work.
        Row lookups = read.where("id = 1")
                .selectExpr("m_s['empty']", "m_s['null']", "m_st['x'].b", "a_m[0]['a']", "m_nn[-2]", "map_keys(m_st)")
                .first();
        assertEquals("[,null,one,1,NaN,ArraySeq(x, nulls, null)]", lookups.toString());
    }

    @Test
    void readsFilesWithArrowMapColumnsAsWrittenBeforeMapsBecameLists() throws Exception {
        // Earlier versions wrote maps as Arrow Map columns: such files keep reading.
        Path dir = Files.createDirectories(tmp.resolve("arrow-maps"));
        try (BufferAllocator allocator = new RootAllocator();
                ArrowBatchBuilder batch =
                        new ArrowBatchBuilder(SparkToArrowSchema.toArrow(AllTypesData.SCHEMA), allocator, 4);
                FileChannel out = FileChannel.open(
                        dir.resolve("part-0.arrow"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                ArrowFileWriter writer = new ArrowFileWriter(batch.root(), null, out)) {
            writer.start();
            for (InternalRow row : AllTypesData.internalRows(spark)) {
                batch.append(row);
                if (batch.isFull()) {
                    batch.finish();
                    writer.writeBatch();
                    batch.reset();
                }
            }
            batch.finish();
            writer.writeBatch();
            writer.end();
        }
        Dataset<Row> read = spark.read().format("arrow").load(dir.toString());

        assertEquals(AllTypesData.SCHEMA.catalogString(), read.schema().catalogString());
        assertEquals(
                CanonicalRows.of(AllTypesData.dataFrame(spark).collectAsList()),
                CanonicalRows.of(read.collectAsList()));
    }

    @Test
    void batchesLargerThanTheVectorsInitialCapacityKeepEveryValueAndNull() {
        // 30,000 rows in batches of 12,000: every vector grows several times within a batch (Arrow starts at
        // about 4,000 slots), strings outgrow their data buffer, and the last batch is partial; nulls sit at a
        // different stride in each column, so null and non-null slots meet at every buffer boundary.
        String out = tmp.resolve("large").toString();
        Dataset<Row> df = spark.range(0, 30_000, 1, 2)
                .selectExpr(
                        "id",
                        "IF(id % 3 = 0, NULL, id % 2 = 0) AS b",
                        "IF(id % 5 = 0, NULL, CAST(id % 127 AS TINYINT)) AS i8",
                        "IF(id % 7 = 0, NULL, CAST(id % 30000 AS SMALLINT)) AS i16",
                        "IF(id % 11 = 0, NULL, CAST(id * 7 AS INT)) AS i32",
                        "IF(id % 13 = 0, NULL, id * 1000000007) AS i64",
                        "IF(id % 17 = 0, NULL, CAST(id / 3.0 AS FLOAT)) AS f32",
                        "IF(id % 19 = 0, NULL, id / 7.0D) AS f64",
                        "IF(id % 23 = 0, NULL, CAST(id / 100.0 AS DECIMAL(12, 2))) AS dec",
                        "IF(id % 29 = 0, NULL, repeat(concat('é', CAST(id AS STRING)), CAST(id % 12 AS INT))) AS s",
                        "IF(id % 31 = 0, NULL, CAST(repeat('x', CAST(id % 40 AS INT)) AS BINARY)) AS bin",
                        "IF(id % 37 = 0, NULL, date_add(DATE'2024-01-01', CAST(id % 1000 AS INT))) AS d",
                        "IF(id % 41 = 0, NULL, timestamp_micros(1700000000000000 + id)) AS ts",
                        "IF(id % 43 = 0, NULL, array(CAST(id AS STRING), NULL, '')) AS arr_s",
                        "IF(id % 47 = 0, NULL, named_struct('x', IF(id % 2 = 0, NULL, id), 'y', CAST(id AS STRING))) AS st");
        df.write().format("arrow").option("maxRecordsPerBatch", "12000").save(out);
        Dataset<Row> read = spark.read().format("arrow").load(out);

        assertEquals(df.schema().catalogString(), read.schema().catalogString());
        assertEquals(CanonicalRows.of(df.collectAsList()), CanonicalRows.of(read.collectAsList()));
    }

    @Test
    void readsFilesWrittenByPyarrow() throws Exception {
        PythonArrowCheck.run("write-fixtures", tmp);
        Dataset<Row> read =
                spark.read().format("arrow").load(tmp.resolve("pyarrow").toString());

        assertEquals(
                "struct<id:bigint,large_s:string,view_s:string,view_b:binary,ts_ms:timestamp,"
                        + "ts_ns:timestamp_ntz,dict_s:string,large_list:array<int>,list_view_s:array<string>>",
                read.schema().catalogString());
        assertEquals(
                String.join(
                        ",",
                        "[{\"id\":0,\"large_s\":\"s:a\",\"view_s\":\"s:x\",\"view_b\":\"b:0001\","
                                + "\"ts_ms\":\"tz:1709210096123000\",\"ts_ns\":\"ntz:1709210096123456\","
                                + "\"dict_s\":\"s:red\",\"large_list\":[1,2],\"list_view_s\":[\"s:p\",null]}",
                        "{\"id\":1,\"large_s\":null,\"view_s\":\"s:yy\",\"view_b\":null,\"ts_ms\":null,"
                                + "\"ts_ns\":null,\"dict_s\":\"s:blue\",\"large_list\":null,\"list_view_s\":[\"s:q\"]}",
                        "{\"id\":2,\"large_s\":\"s:ü✓\",\"view_s\":null,\"view_b\":\"b:\",\"ts_ms\":\"tz:-1000000\","
                                + "\"ts_ns\":\"ntz:-1000000\",\"dict_s\":\"s:red\",\"large_list\":[],"
                                + "\"list_view_s\":null}]"),
                CanonicalRows.of(read.collectAsList()));
    }

    @Test
    void readsFilesWrittenByPolars() throws Exception {
        PythonArrowCheck.run("write-fixtures", tmp);
        Dataset<Row> read =
                spark.read().format("arrow").load(tmp.resolve("polars").toString());

        assertEquals(
                "struct<id:bigint,s:string,l:array<double>,t:timestamp_ntz,st:struct<a:bigint,b:string>,"
                        + "cat:string>",
                read.schema().catalogString());
        assertEquals(
                String.join(
                        ",",
                        "[{\"id\":10,\"s\":\"s:polars\",\"l\":[\"f:3ff8000000000000\",null],"
                                + "\"t\":\"ntz:1577836800000001\",\"st\":{\"a\":1,\"b\":\"s:x\"},\"cat\":\"s:u\"}",
                        "{\"id\":11,\"s\":null,\"l\":[],\"t\":null,\"st\":null,\"cat\":\"s:v\"}",
                        "{\"id\":12,\"s\":\"s:ü\",\"l\":null,\"t\":\"ntz:-2208988800000000\","
                                + "\"st\":{\"a\":null,\"b\":\"s:z\"},\"cat\":\"s:u\"}]"),
                CanonicalRows.of(read.collectAsList()));
    }

    @Test
    void unreadableArrowTypeNamesTheColumn() throws Exception {
        PythonArrowCheck.run("write-fixtures", tmp);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> spark.read()
                        .format("arrow")
                        .load(tmp.resolve("unsigned").toString())
                        .schema());
        assertEquals(
                "Column 'u' has Arrow type Int(32, false), which Tributary's Arrow reader cannot read; " + "supported: "
                        + ArrowToSparkSchema.SUPPORTED,
                e.getMessage());
    }

    @Test
    void splitsAFileAtRecordBatches() throws Exception {
        String out = tmp.resolve("big").toString();
        spark.range(0, 200_000, 1, 1)
                .selectExpr("id", "CAST(id AS STRING) AS s")
                .write()
                .format("arrow")
                .option("maxRecordsPerBatch", "1000")
                .save(out);
        List<String> files = ArrowFileFormatWriteTest.arrowFiles(Path.of(out));
        assertEquals(1, files.size());
        long size = Files.size(Path.of(files.get(0)));
        long splitBytes = 256 * 1024;
        spark.conf().set("spark.sql.files.maxPartitionBytes", Long.toString(splitBytes));
        try {
            Dataset<Row> read = spark.read().format("arrow").load(out);
            assertEquals((size + splitBytes - 1) / splitBytes, read.rdd().getNumPartitions());
            Row r = read.selectExpr("count(*)", "count(DISTINCT id)", "sum(id)", "sum(CAST(s AS BIGINT))")
                    .first();
            assertEquals(
                    List.of(200_000L, 200_000L, 19_999_900_000L, 19_999_900_000L),
                    List.of(r.getLong(0), r.getLong(1), r.getLong(2), r.getLong(3)));
        } finally {
            spark.conf().unset("spark.sql.files.maxPartitionBytes");
        }
    }

    @Test
    void partitionByDirectoriesComeBackAsColumns() throws Exception {
        String out = tmp.resolve("parts").toString();
        spark.range(0, 10)
                .selectExpr("id", "CAST(id % 3 AS INT) AS p")
                .write()
                .format("arrow")
                .partitionBy("p")
                .save(out);
        assertEquals(
                3,
                Files.list(Path.of(out))
                        .filter(d -> d.getFileName().toString().startsWith("p="))
                        .count());
        List<Row> rows = spark.read().format("arrow").load(out).orderBy("id").collectAsList();
        assertEquals("[[0,0], [1,1], [2,2], [3,0], [4,1], [5,2], [6,0], [7,1], [8,2], [9,0]]", rows.toString());
    }

    @Test
    void compressedFilesReadBack() throws Exception {
        for (String codec : List.of("lz4", "zstd")) {
            String out = tmp.resolve(codec).toString();
            AllTypesData.dataFrame(spark)
                    .write()
                    .format("arrow")
                    .option("compression", codec)
                    .save(out);
            JsonNode expected = AllTypesData.expected(spark);
            JsonNode actual = CanonicalRows.JSON.readTree(
                    CanonicalRows.of(spark.read().format("arrow").load(out).collectAsList()));
            CanonicalRows.assertColumnsEqual(expected, actual);
        }
    }
}
