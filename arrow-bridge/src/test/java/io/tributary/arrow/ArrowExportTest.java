package io.tributary.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class ArrowExportTest extends SparkTestBase {

    @Test
    void streamIsReadByPyarrowAndPolars() throws Exception {
        Path stream = tmp.resolve("all.arrows");
        ArrowExport.writeStream(AllTypesData.dataFrame(spark), stream, Map.of("maxRecordsPerBatch", "2"));
        JsonNode expected = AllTypesData.expected(spark);

        JsonNode pyarrow = PythonArrowCheck.run("pyarrow-stream", stream);
        for (var f : AllTypesData.SCHEMA.fields()) {
            assertEquals(
                    AllTypesData.EXPORTED_PYARROW_TYPES.get(f.name()),
                    pyarrow.get("schema").get(f.name()).asText(),
                    f.name());
        }
        CanonicalRows.assertColumnsEqual(expected, pyarrow.get("rows"));
        CanonicalRows.assertColumnsEqual(
                expected, PythonArrowCheck.run("polars-stream", stream).get("rows"));
    }

    @Test
    void compressedStreamIsReadByPyarrow() throws Exception {
        Path stream = tmp.resolve("big.arrows");
        Dataset<Row> df = spark.range(0, 50_000, 1, 3).selectExpr("id", "CAST(id AS STRING) AS s");
        ArrowExport.writeStream(df, stream, Map.of("compression", "zstd", "maxRecordsPerBatch", "7000"));
        JsonNode rows = PythonArrowCheck.run("pyarrow-stream", stream).get("rows");
        assertEquals(50_000, rows.size());
        for (int i = 0; i < rows.size(); i += 997) {
            assertEquals(i, rows.get(i).get("id").asLong());
            assertEquals("s:" + i, rows.get(i).get("s").asText());
        }
    }

    @Test
    void unsupportedColumnIsRejectedBeforeAnythingIsWritten() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Dataset<Row> df = spark.sql("SELECT 1 AS id, named_struct('w', INTERVAL '2' HOUR) AS s");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ArrowExport.writeStream(df, out));
        assertEquals(
                "Column 's.w' has type INTERVAL HOUR, which the Arrow writer cannot export; supported types: "
                        + SparkToArrowSchema.SUPPORTED,
                e.getMessage());
        assertEquals(0, out.size());
    }
}
