package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tributary.prometheus.client.SeriesBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeMapData;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The {@code labels} map column (labelsFormat=map): one map per series in Spark's binary map format, shared by the
 * series' rows, holding every label but {@code __name__} in the order the answer gave them, and unchanged by
 * Spark's conversion of the rows to its binary row format.
 */
class LabelsMapRowsTest {
    private static Map<String, String> labels(String... pairs) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }

    /** Three series of the metric up: unsorted labels, awkward values, and no label but the name. */
    private static List<SeriesBlock> blocks() {
        return List.of(
                new SeriesBlock(
                        labels("job", "node", "__name__", "up", "instance", "a:9100"),
                        new long[] {10_000, 11_000},
                        new double[] {1, 0},
                        2),
                new SeriesBlock(
                        labels("__name__", "up", "path", "/ä/\"q\"\n", "empty", "", "zone", "東京"),
                        new long[] {10_000},
                        new double[] {1},
                        1),
                new SeriesBlock(labels("__name__", "up"), new long[] {11_000}, new double[] {0.5}, 1));
    }

    /** A map value as [[key, value], ...], in the map's order. */
    private static List<List<String>> entries(MapData map) {
        ArrayData keys = map.keyArray();
        ArrayData values = map.valueArray();
        List<List<String>> entries = new ArrayList<>();
        for (int i = 0; i < map.numElements(); i++) {
            entries.add(List.of(
                    keys.getUTF8String(i).toString(), values.getUTF8String(i).toString()));
        }
        return entries;
    }

    private static final List<List<List<String>>> EXPECTED_LABELS = List.of(
            List.of(List.of("job", "node"), List.of("instance", "a:9100")),
            List.of(List.of("job", "node"), List.of("instance", "a:9100")),
            List.of(List.of("path", "/ä/\"q\"\n"), List.of("empty", ""), List.of("zone", "東京")),
            List.of());

    @Test
    void longRowsOfASeriesShareOneBinaryMapThatOutlivesTheNextSeries() {
        StructType schema = SmallRangeRead.schema("metrics", "up", "mode", "raw");
        LongLayoutRows rows = new LongLayoutRows(RowColumns.of(schema, List.of(), List.of()));
        rows.reset(blocks());
        List<MapData> maps = new ArrayList<>();
        List<List<Object>> read = new ArrayList<>();
        while (rows.advance()) {
            InternalRow row = rows.row();
            maps.add(row.getMap(1));
            read.add(
                    List.of(row.getUTF8String(0).toString(), entries(row.getMap(1)), row.getLong(2), row.getDouble(3)));
        }
        assertEquals(
                List.of(
                        List.of("up", EXPECTED_LABELS.get(0), 10_000_000L, 1.0),
                        List.of("up", EXPECTED_LABELS.get(1), 11_000_000L, 0.0),
                        List.of("up", EXPECTED_LABELS.get(2), 10_000_000L, 1.0),
                        List.of("up", EXPECTED_LABELS.get(3), 11_000_000L, 0.5)),
                read);
        assertSame(maps.get(0), maps.get(1), "one map per series, not per sample");
        assertInstanceOf(UnsafeMapData.class, maps.get(0), "already in the format Spark converts rows to");
        List<List<List<String>>> afterwards = new ArrayList<>();
        for (MapData map : maps) {
            afterwards.add(entries(map));
        }
        assertEquals(EXPECTED_LABELS, afterwards, "each series' map keeps its labels once later series are read");
    }

    @Test
    void sparksBinaryRowsHoldTheSameLabels() {
        StructType schema = SmallRangeRead.schema("metrics", "up", "mode", "raw");
        LongLayoutRows rows = new LongLayoutRows(RowColumns.of(schema, List.of(), List.of()));
        rows.reset(blocks());
        UnsafeProjection toBinary = UnsafeProjection.create(schema);
        List<List<List<String>>> converted = new ArrayList<>();
        while (rows.advance()) {
            UnsafeRow row = toBinary.apply(rows.row());
            converted.add(entries(row.getMap(1)));
        }
        assertEquals(EXPECTED_LABELS, converted);
    }

    @Test
    void wideRowsOfALabelSetShareOneBinaryMap() {
        WideLayoutRows rows = SmallRangeRead.wideRows(
                SmallRangeRead.schema("metrics", "up", "layout", "wide"), List.of("up"), Set.of());
        rows.add(0, blocks());
        List<MapData> maps = new ArrayList<>();
        List<List<Object>> read = new ArrayList<>();
        while (rows.advance()) {
            InternalRow row = rows.row();
            maps.add(row.getMap(0));
            read.add(List.of(entries(row.getMap(0)), row.getLong(1), row.getDouble(2)));
        }
        assertEquals(
                List.of(
                        List.of(EXPECTED_LABELS.get(0), 10_000_000L, 1.0),
                        List.of(EXPECTED_LABELS.get(0), 11_000_000L, 0.0),
                        List.of(EXPECTED_LABELS.get(2), 10_000_000L, 1.0),
                        List.of(EXPECTED_LABELS.get(3), 11_000_000L, 0.5)),
                read);
        assertSame(maps.get(0), maps.get(1), "one map per label set, not per row");
        assertInstanceOf(UnsafeMapData.class, maps.get(0));
    }
}
