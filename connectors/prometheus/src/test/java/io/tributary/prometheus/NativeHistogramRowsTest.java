package io.tributary.prometheus;

import static io.tributary.prometheus.SmallRangeRead.options;
import static io.tributary.prometheus.SmallRangeRead.parse;
import static io.tributary.prometheus.SmallRangeRead.wideRows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.prometheus.client.RangeQueryResponseParser;
import io.tributary.prometheus.client.SeriesBlock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Native histograms from decoded answers to Spark rows: the schema, long rows, and the wide join's columns. */
class NativeHistogramRowsTest {
    private static final String HISTOGRAM_STRUCT = "struct<count:double,sum:double,"
            + "buckets:array<struct<boundaryRule:int,lower:double,upper:double,count:double>>>";

    /** Two grid points (10 s, 11 s) of a histogram series and a float series with another label set. */
    private static final String ANSWER = "{\"status\":\"success\",\"data\":{\"result\":["
            + "{\"metric\":{\"__name__\":\"lat\",\"path\":\"/a\"},\"histograms\":["
            + "[10,{\"count\":\"3\",\"sum\":\"2.5\",\"buckets\":[[0,\"0.25\",\"0.5\",\"1\"],"
            + "[3,\"-0.001\",\"0.001\",\"2\"]]}],"
            + "[11,{\"count\":\"0\",\"sum\":\"0\"}]]},"
            + "{\"metric\":{\"__name__\":\"temp\"},\"values\":[[10,\"21.5\"]]}]}}";

    private static List<SeriesBlock> blocks(String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return RangeQueryResponseParser.parse(new ByteArrayInputStream(body), 2).series();
    }

    /** A histogram struct value as [count, sum, [[rule, lower, upper, count], ...]]. */
    private static List<Object> histogram(InternalRow struct) {
        List<Object> buckets = new ArrayList<>();
        ArrayData array = struct.getArray(2);
        for (int i = 0; i < array.numElements(); i++) {
            InternalRow bucket = array.getStruct(i, 4);
            buckets.add(List.of(bucket.getInt(0), bucket.getDouble(1), bucket.getDouble(2), bucket.getDouble(3)));
        }
        return List.of(struct.getDouble(0), struct.getDouble(1), buckets);
    }

    @Test
    void longLayoutHasOneSchemaWithANullableValueAndHistogram() {
        StructType schema = PrometheusSchema.of(parse(options("metrics", "lat", "labelColumns", "path")));
        assertEquals(
                "struct<metric:string,labels:map<string,string>,path:string,timestamp:timestamp,value:double,"
                        + "histogram:" + HISTOGRAM_STRUCT + ">",
                schema.simpleString());
        assertTrue(schema.apply("value").nullable());
        assertTrue(schema.apply("histogram").nullable());
        assertEquals(
                schema,
                PrometheusSchema.of(parse(options("metrics", "lat", "labelColumns", "path", "mode", "raw"))),
                "raw mode has the same schema");
    }

    @Test
    void wideLayoutColumnsAreDoubleUnlessListedInHistogramMetrics() {
        StructType schema =
                PrometheusSchema.of(parse(options("metrics", "lat,temp", "layout", "wide", "histogramMetrics", "lat")));
        assertEquals(
                "struct<labels:map<string,string>,timestamp:timestamp,lat:" + HISTOGRAM_STRUCT + ",temp:double>",
                schema.simpleString());
    }

    @Test
    void histogramMetricsIsCheckedAgainstLayoutAndMetrics() {
        IllegalArgumentException longLayout = assertThrows(
                IllegalArgumentException.class, () -> parse(options("metrics", "lat", "histogramMetrics", "lat")));
        assertEquals(
                "Option 'histogramMetrics' applies to layout=wide only; layout=long returns native histograms in"
                        + " its 'histogram' column",
                longLayout.getMessage());
        IllegalArgumentException unknown = assertThrows(
                IllegalArgumentException.class,
                () -> parse(options("metrics", "lat,temp", "layout", "wide", "histogramMetrics", "lat,latency")));
        assertEquals(
                "Option 'histogramMetrics' entry 'latency' is not a metric of option 'metrics' (lat, temp)",
                unknown.getMessage());
        IllegalArgumentException twice = assertThrows(
                IllegalArgumentException.class,
                () -> parse(options("metrics", "lat,temp", "layout", "wide", "histogramMetrics", "lat, lat")));
        assertEquals("Option 'histogramMetrics' lists 'lat' twice", twice.getMessage());
        IllegalArgumentException reserved = assertThrows(
                IllegalArgumentException.class, () -> parse(options("metrics", "lat", "labelColumns", "histogram")));
        assertTrue(
                reserved.getMessage()
                        .startsWith("Option 'labelColumns' entry 'histogram' clashes with the fixed" + " column"),
                reserved.getMessage());
        IllegalArgumentException allow = assertThrows(
                IllegalArgumentException.class, () -> parse(options("metrics", "lat", "allowPartialResponse", "yes")));
        assertEquals("Option 'allowPartialResponse' must be true or false, got 'yes'", allow.getMessage());
        assertFalse(parse(options("metrics", "lat")).answers().allowPartialResponse(), "false by default");
        assertTrue(parse(options("metrics", "lat", "allowPartialResponse", "TRUE"))
                .answers()
                .allowPartialResponse());
    }

    @Test
    void longRowsSetValueOrHistogramNeverBoth() throws IOException {
        StructType schema = PrometheusSchema.of(parse(options("metrics", "lat")));
        LongLayoutRows rows = new LongLayoutRows(RowColumns.of(schema, List.of(), List.of()));
        rows.reset(blocks(ANSWER));
        List<List<Object>> read = new ArrayList<>();
        while (rows.advance()) {
            InternalRow row = rows.row();
            read.add(List.of(
                    row.getUTF8String(0).toString(),
                    row.getLong(2),
                    row.isNullAt(3) ? "null" : row.getDouble(3),
                    row.isNullAt(4) ? "null" : histogram(row.getStruct(4, 3))));
        }
        assertEquals(
                List.of(
                        List.of(
                                "lat",
                                10_000_000L,
                                "null",
                                List.of(3.0, 2.5, List.of(List.of(0, 0.25, 0.5, 1.0), List.of(3, -0.001, 0.001, 2.0)))),
                        List.of("lat", 11_000_000L, "null", List.of(0.0, 0.0, List.of())),
                        List.of("temp", 10_000_000L, 21.5, "null")),
                read);
    }

    @Test
    void wideRowsPutHistogramsInTheirColumns() throws IOException {
        List<SeriesBlock> answer = blocks(ANSWER);
        StructType schema =
                PrometheusSchema.of(parse(options("metrics", "lat,temp", "layout", "wide", "histogramMetrics", "lat")));
        WideLayoutRows rows = wideRows(schema, List.of("lat", "temp"), Set.of("lat"));
        rows.add(0, answer.subList(0, 1));
        rows.add(1, answer.subList(1, 2));
        List<List<Object>> read = new ArrayList<>();
        while (rows.advance()) {
            InternalRow row = rows.row();
            read.add(List.of(
                    row.getLong(1),
                    row.isNullAt(2) ? "null" : histogram(row.getStruct(2, 3)),
                    row.isNullAt(3) ? "null" : row.getDouble(3)));
        }
        assertEquals(
                List.of(
                        List.of(
                                10_000_000L,
                                List.of(3.0, 2.5, List.of(List.of(0, 0.25, 0.5, 1.0), List.of(3, -0.001, 0.001, 2.0))),
                                "null"),
                        List.of(11_000_000L, List.of(0.0, 0.0, List.of()), "null"),
                        List.of(10_000_000L, "null", 21.5)),
                read);
    }

    @Test
    void aPointOfTheOtherKindFailsTheWideJoinNamingTheOption() throws IOException {
        List<SeriesBlock> answer = blocks(ANSWER);
        StructType doubles = PrometheusSchema.of(parse(options("metrics", "lat,temp", "layout", "wide")));
        WideLayoutRows undeclared = wideRows(doubles, List.of("lat", "temp"), Set.of());
        IllegalArgumentException histogramInDouble =
                assertThrows(IllegalArgumentException.class, () -> undeclared.add(0, answer.subList(0, 1)));
        assertEquals(
                "Metric 'lat' answered a native histogram for series {__name__=lat, path=/a} at"
                        + " 1970-01-01T00:00:10Z, but its layout=wide column is DOUBLE; list it in option 'histogramMetrics'"
                        + " (histogramMetrics=lat) to read it as a histogram column, or read it with layout=long, whose"
                        + " 'histogram' column holds them",
                histogramInDouble.getMessage());

        StructType histograms = PrometheusSchema.of(
                parse(options("metrics", "lat,temp", "layout", "wide", "histogramMetrics", "lat,temp")));
        WideLayoutRows declared = wideRows(histograms, List.of("lat", "temp"), Set.of("lat", "temp"));
        IllegalArgumentException floatInHistogram =
                assertThrows(IllegalArgumentException.class, () -> declared.add(1, answer.subList(1, 2)));
        assertEquals(
                "Metric 'temp' is listed in option 'histogramMetrics', so its layout=wide column holds native"
                        + " histograms, but Prometheus answered a float sample for series {__name__=temp} at 1970-01-01T00:00:10Z;"
                        + " remove it from option 'histogramMetrics', or read it with layout=long, whose rows hold either",
                floatInHistogram.getMessage());
    }
}
