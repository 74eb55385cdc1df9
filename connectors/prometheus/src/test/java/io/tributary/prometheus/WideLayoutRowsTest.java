package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.prometheus.client.SeriesBlock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class WideLayoutRowsTest {
    private static final List<String> METRICS = List.of("a", "b");

    private final StructType schema = PrometheusSchema.of(PrometheusSourceOptions.from(
            Map.of(
                    "url", "http://127.0.0.1:9090",
                    "start", "10",
                    "end", "14",
                    "step", "1s",
                    "metrics", "a,b",
                    "layout", "wide",
                    "labelColumns", "instance"),
            Map.of(),
            PrometheusSourceOptionsTest.NOW));
    private final RowColumns columns = RowColumns.of(schema, List.of("instance"), METRICS);

    private static SeriesBlock series(Map<String, String> labels, long[] seconds, double... values) {
        long[] millis = Arrays.stream(seconds).map(s -> s * 1000).toArray();
        return new SeriesBlock(labels, millis, values, values.length);
    }

    private static long[] at(long... seconds) {
        return seconds;
    }

    /** Metric a has instances x and y; b has x with a gap at 11 s and z, a label set a lacks, with one more label. */
    private WideLayoutRows joined() {
        WideLayoutRows rows = new WideLayoutRows(columns, new TimeGrid(10_000, 14_000, 1000), 0, 5, METRICS, Set.of());
        rows.add(
                0,
                List.of(
                        series(Map.of("__name__", "a", "instance", "x"), at(10, 11, 12), 1, 2, 3),
                        series(Map.of("__name__", "a", "instance", "y"), at(10, 14), 5, 6)));
        rows.add(
                1,
                List.of(
                        series(Map.of("__name__", "b", "instance", "x"), at(10, 12, 13), 10, 12, 13),
                        series(Map.of("__name__", "b", "instance", "z", "extra", "e"), at(14), 99)));
        return rows;
    }

    private static List<Object> read(InternalRow row) {
        MapData labels = row.getMap(0);
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < labels.numElements(); i++) {
            map.put(
                    labels.keyArray().getUTF8String(i).toString(),
                    labels.valueArray().getUTF8String(i).toString());
        }
        return Arrays.asList(
                map,
                row.isNullAt(1) ? null : row.getUTF8String(1).toString(),
                row.getLong(2),
                row.isNullAt(3) ? null : row.getDouble(3),
                row.isNullAt(4) ? null : row.getDouble(4));
    }

    private static final List<List<Object>> EXPECTED = List.of(
            Arrays.asList(Map.of("instance", "x"), "x", 10_000_000L, 1.0, 10.0),
            Arrays.asList(Map.of("instance", "x"), "x", 11_000_000L, 2.0, null),
            Arrays.asList(Map.of("instance", "x"), "x", 12_000_000L, 3.0, 12.0),
            Arrays.asList(Map.of("instance", "x"), "x", 13_000_000L, null, 13.0),
            Arrays.asList(Map.of("instance", "y"), "y", 10_000_000L, 5.0, null),
            Arrays.asList(Map.of("instance", "y"), "y", 14_000_000L, 6.0, null),
            Arrays.asList(Map.of("extra", "e", "instance", "z"), "z", 14_000_000L, null, 99.0));

    @Test
    void joinsByLabelSetWithNullsForGapsAndLabelSetsOneMetricLacks() {
        WideLayoutRows rows = joined();
        List<List<Object>> read = new ArrayList<>();
        while (rows.advance()) {
            read.add(read(rows.row()));
        }
        assertEquals(EXPECTED, read);
        assertEquals(3, rows.labelSets());
    }

    @Test
    void aCopiedRowKeepsItsValuesAfterTheReaderMovesOn() {
        WideLayoutRows rows = joined();
        List<InternalRow> copies = new ArrayList<>();
        while (rows.advance()) {
            copies.add(rows.row().copy());
        }
        List<List<Object>> read = new ArrayList<>();
        for (InternalRow copy : copies) {
            read.add(read(copy));
        }
        assertEquals(EXPECTED, read);
    }

    @Test
    void genericGetMatchesTheTypedGetters() {
        WideLayoutRows rows = joined();
        rows.advance();
        rows.advance();
        InternalRow row = rows.row();
        assertEquals(
                Arrays.asList("x", 11_000_000L, 2.0, null),
                Arrays.asList(
                        row.get(1, schema.fields()[1].dataType()).toString(),
                        row.get(2, schema.fields()[2].dataType()),
                        row.get(3, schema.fields()[3].dataType()),
                        row.get(4, schema.fields()[4].dataType())));
        assertEquals(5, row.numFields());
    }

    @Test
    void aLaterWindowJoinsItsOwnPointsAndRefusesAPointOutsideIt() {
        WideLayoutRows window =
                new WideLayoutRows(columns, new TimeGrid(10_000, 14_000, 1000), 2, 4, METRICS, Set.of());
        window.add(0, List.of(series(Map.of("__name__", "a", "instance", "x"), at(12, 13), 3, 4)));
        window.add(1, List.of(series(Map.of("__name__", "b", "instance", "x"), at(13), 13)));
        List<List<Object>> read = new ArrayList<>();
        while (window.advance()) {
            read.add(read(window.row()));
        }
        assertEquals(
                List.of(
                        Arrays.asList(Map.of("instance", "x"), "x", 12_000_000L, 3.0, null),
                        Arrays.asList(Map.of("instance", "x"), "x", 13_000_000L, 4.0, 13.0)),
                read);

        WideLayoutRows next = new WideLayoutRows(columns, new TimeGrid(10_000, 14_000, 1000), 2, 4, METRICS, Set.of());
        IllegalStateException outside = assertThrows(
                IllegalStateException.class,
                () -> next.add(0, List.of(series(Map.of("__name__", "a", "instance", "x"), at(12, 14), 3, 5))));
        assertEquals(
                "Prometheus answered a point at 14000 ms, off the requested grid of this window; is the server's clock"
                        + " or step handling different?",
                outside.getMessage());
    }
}
