package io.tributary.prometheus;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** A {@link RangeQuerySlice} as Spark's unit of work. */
record RangePartition(RangeQuerySlice slice) implements InputPartition {
    private static final long serialVersionUID = 1L;

    /** One Spark partition per slice, in slice order. */
    static InputPartition[] of(List<RangeQuerySlice> slices) {
        return slices.stream().map(RangePartition::new).toArray(InputPartition[]::new);
    }

    @Override
    public String toString() {
        return slice.toString();
    }
}
