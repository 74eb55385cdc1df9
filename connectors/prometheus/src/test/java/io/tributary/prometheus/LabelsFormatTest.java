package io.tributary.prometheus;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tributary.prometheus.client.RangeQueryResponseParser;
import io.tributary.prometheus.client.SeriesBlock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** labelsFormat=json: the schema in each layout and mode, one JSON text per series, and its escaping. */
class LabelsFormatTest {
    /** Two series of two grid points (10 s, 11 s) each; their labels arrive unsorted. */
    private static final String ANSWER = "{\"status\":\"success\",\"data\":{\"result\":["
            + "{\"metric\":{\"job\":\"node\",\"__name__\":\"up\",\"instance\":\"a:9100\"},"
            + "\"values\":[[10,\"1\"],[11,\"0\"]]},"
            + "{\"metric\":{\"__name__\":\"up\",\"job\":\"node\",\"instance\":\"b:9100\"},"
            + "\"values\":[[10,\"1\"],[11,\"1\"]]}]}}";

    /** The options of a read of up with labelsFormat=json, then {@code pairs}. */
    private static Map<String, String> options(String... pairs) {
        Map<String, String> options = SmallRangeRead.options("metrics", "up", "labelsFormat", "json");
        options.putAll(SmallRangeRead.options(pairs));
        return options;
    }

    private static StructType schema(String... pairs) {
        return PrometheusSchema.of(SmallRangeRead.parse(options(pairs)));
    }

    private static List<SeriesBlock> blocks() throws IOException {
        return RangeQueryResponseParser.parse(new ByteArrayInputStream(ANSWER.getBytes(StandardCharsets.UTF_8)), 2)
                .series();
    }

    @Test
    void labelsIsANonNullStringInEachLayoutAndMode() {
        String longLayout = "struct<metric:string,labels:string,job:string,timestamp:timestamp,value:double,"
                + "histogram:struct<count:double,sum:double,buckets:array<struct<boundaryRule:int,lower:double,upper:double,"
                + "count:double>>>>";
        assertEquals(longLayout, schema("labelColumns", "job").simpleString());
        assertEquals(longLayout, schema("labelColumns", "job", "mode", "raw").simpleString());
        StructType wide = schema("labelColumns", "job", "layout", "wide");
        assertEquals("struct<labels:string,job:string,timestamp:timestamp,up:double>", wide.simpleString());
        assertEquals(false, wide.apply("labels").nullable());
        assertEquals(
                "struct<metric:string,labels:map<string,string>,timestamp:timestamp,value:double,histogram:"
                        + "struct<count:double,sum:double,buckets:array<struct<boundaryRule:int,lower:double,upper:double,"
                        + "count:double>>>>",
                schema("labelsFormat", "map").simpleString(),
                "map is today's column");
        assertEquals(
                DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false),
                PrometheusSchema.of(PrometheusSourceOptions.from(
                                options("labelsFormat", "map"),
                                Map.of("spark.tributary.prometheus.labelsFormat", "JSON"),
                                PrometheusSourceOptionsTest.NOW))
                        .apply("labels")
                        .dataType(),
                "the read option wins over the session conf");
        assertEquals(
                DataTypes.StringType,
                PrometheusSchema.of(PrometheusSourceOptions.from(
                                Map.of("url", "http://127.0.0.1:9090", "metrics", "up", "start", "10", "end", "11"),
                                Map.of("spark.tributary.prometheus.labelsFormat", "json"),
                                PrometheusSourceOptionsTest.NOW))
                        .apply("labels")
                        .dataType(),
                "the session conf applies without the option");
    }

    @Test
    void longRowsOfASeriesShareOneSortedJsonText() throws IOException {
        LongLayoutRows rows =
                new LongLayoutRows(RowColumns.of(schema("labelColumns", "job"), List.of("job"), List.of()));
        rows.reset(blocks());
        List<Object> labels = new ArrayList<>();
        List<List<Object>> read = new ArrayList<>();
        while (rows.advance()) {
            InternalRow row = rows.row();
            labels.add(row.getUTF8String(1));
            read.add(List.of(
                    row.getUTF8String(0).toString(),
                    row.getUTF8String(1).toString(),
                    row.getUTF8String(2).toString(),
                    row.getLong(3),
                    row.getDouble(4)));
        }
        assertEquals(
                List.of(
                        List.of("up", "{\"instance\":\"a:9100\",\"job\":\"node\"}", "node", 10_000_000L, 1.0),
                        List.of("up", "{\"instance\":\"a:9100\",\"job\":\"node\"}", "node", 11_000_000L, 0.0),
                        List.of("up", "{\"instance\":\"b:9100\",\"job\":\"node\"}", "node", 10_000_000L, 1.0),
                        List.of("up", "{\"instance\":\"b:9100\",\"job\":\"node\"}", "node", 11_000_000L, 1.0)),
                read);
        assertSame(labels.get(0), labels.get(1), "one text per series, not per sample");
        assertSame(labels.get(2), labels.get(3), "one text per series, not per sample");
    }

    @Test
    void wideRowsOfALabelSetShareOneSortedJsonText() throws IOException {
        WideLayoutRows rows = SmallRangeRead.wideRows(schema("layout", "wide"), List.of("up"), Set.of());
        rows.add(0, blocks());
        List<Object> labels = new ArrayList<>();
        List<List<Object>> read = new ArrayList<>();
        while (rows.advance()) {
            InternalRow row = rows.row();
            labels.add(row.getUTF8String(0));
            read.add(List.of(row.getUTF8String(0).toString(), row.getLong(1), row.getDouble(2)));
        }
        assertEquals(
                List.of(
                        List.of("{\"instance\":\"a:9100\",\"job\":\"node\"}", 10_000_000L, 1.0),
                        List.of("{\"instance\":\"a:9100\",\"job\":\"node\"}", 11_000_000L, 0.0),
                        List.of("{\"instance\":\"b:9100\",\"job\":\"node\"}", 10_000_000L, 1.0),
                        List.of("{\"instance\":\"b:9100\",\"job\":\"node\"}", 11_000_000L, 1.0)),
                read);
        assertSame(labels.get(0), labels.get(1), "one text per label set, not per row");
    }

    /** Label values Prometheus accepts that JSON must escape, or must keep as they are. */
    private static Map<String, String> awkwardLabels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("__name__", "up");
        labels.put("quote", "say \"hi\"");
        labels.put("backslash", "C:\\temp\\");
        labels.put("controls", "a\nb\rc\td\be\ff\u0000g\u001fh\u007f");
        labels.put("unicode", "Größe µs 東京 😀");
        labels.put("empty", "");
        labels.put("json", "{\"a\":[1,2]}");
        return labels;
    }

    @Test
    void awkwardValuesAreEscapedExactly() {
        assertEquals(
                "{\"backslash\":\"C:\\\\temp\\\\\",\"controls\":\"a\\nb\\rc\\td\\be\\ff\\u0000g\\u001fh\u007f\","
                        + "\"empty\":\"\",\"json\":\"{\\\"a\\\":[1,2]}\",\"quote\":\"say \\\"hi\\\"\","
                        + "\"unicode\":\"Größe µs 東京 😀\"}",
                LabelsFormat.toJson(awkwardLabels(), SeriesRowValues.NAME_LABEL));
        assertEquals("{}", LabelsFormat.toJson(Map.of("__name__", "up"), SeriesRowValues.NAME_LABEL));
    }

    @Test
    void fromJsonReadsBackTheLabelsMap() {
        Map<String, String> expected = new HashMap<>(awkwardLabels());
        expected.remove("__name__");
        SparkSession spark = SparkSession.builder()
                .master("local[1]")
                .appName("LabelsFormatTest")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            String json = LabelsFormat.toJson(awkwardLabels(), SeriesRowValues.NAME_LABEL);
            Row row = spark.createDataset(List.of(json), Encoders.STRING())
                    .toDF("labels")
                    .select(from_json(
                            col("labels"),
                            DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType),
                            Map.<String, String>of()))
                    .first();
            assertEquals(expected, row.getJavaMap(0));
        } finally {
            spark.stop();
        }
    }
}
