package io.tributary.prometheus;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** A {@link RangeQuerySlice} as Spark's unit of work. */
final class RangePartition implements InputPartition {
  private static final long serialVersionUID = 1L;
  private final RangeQuerySlice slice;

  RangePartition(RangeQuerySlice slice) {
    this.slice = slice;
  }

  /** One Spark partition per slice, in slice order. */
  static InputPartition[] of(List<RangeQuerySlice> slices) {
    return slices.stream().map(RangePartition::new).toArray(InputPartition[]::new);
  }

  RangeQuerySlice slice() {
    return slice;
  }

  @Override
  public String toString() {
    return slice.toString();
  }
}
