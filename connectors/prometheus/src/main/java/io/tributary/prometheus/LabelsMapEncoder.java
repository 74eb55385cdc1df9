package io.tributary.prometheus;

import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Encodes a series' labels (without {@code __name__}) as a {@code labels} map in Spark's binary map format, once
 * per series. Spark turns every scanned row into its binary row format before writing or shuffling it: a map
 * already in that format is copied as one block, where an object map would have each key and value of each row
 * re-encoded. The map returned owns its bytes, so it stays valid after later calls and may be shared by all the
 * rows of its series.
 */
final class LabelsMapEncoder {
    private final UnsafeProjection projection;
    private final GenericInternalRow input = new GenericInternalRow(1);

    /** @param mapType the {@code labels} column's type in the read schema */
    LabelsMapEncoder(DataType mapType) {
        this.projection = UnsafeProjection.create(new DataType[] {mapType});
    }

    MapData encode(Map<String, String> seriesLabels) {
        int count =
                seriesLabels.containsKey(SeriesRowValues.NAME_LABEL) ? seriesLabels.size() - 1 : seriesLabels.size();
        Object[] keys = new Object[count];
        Object[] values = new Object[count];
        int i = 0;
        for (Map.Entry<String, String> label : seriesLabels.entrySet()) {
            if (!label.getKey().equals(SeriesRowValues.NAME_LABEL)) {
                keys[i] = UTF8String.fromString(label.getKey());
                values[i] = UTF8String.fromString(label.getValue());
                i++;
            }
        }
        input.update(0, ArrayBasedMapData.apply(keys, values));
        // The projection writes into one reused buffer; the copy is this series' own.
        return projection.apply(input).getMap(0).copy();
    }
}
