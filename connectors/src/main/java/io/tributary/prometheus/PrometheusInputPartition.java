package io.tributary.prometheus;

import org.apache.spark.sql.connector.read.InputPartition;

/** A {@link RangeQuerySlice} as Spark's unit of work. */
final class PrometheusInputPartition implements InputPartition {
  private static final long serialVersionUID = 1L;
  private final RangeQuerySlice slice;

  PrometheusInputPartition(RangeQuerySlice slice) {
    this.slice = slice;
  }

  RangeQuerySlice slice() {
    return slice;
  }

  @Override
  public String toString() {
    return slice.toString();
  }
}
