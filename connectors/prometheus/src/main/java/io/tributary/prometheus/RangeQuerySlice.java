package io.tributary.prometheus;

import java.io.Serializable;

/**
 * One unit of parallel reading: grid indices {@code [firstIndex, endIndex)} of one query (layout=long with
 * {@code metrics}: one metric's selector) or of every query at once ({@link #ALL_QUERIES}, layout=wide).
 */
final class RangeQuerySlice implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int ALL_QUERIES = -1;

  private final int queryIndex;
  private final long firstIndex;
  private final long endIndex;

  RangeQuerySlice(int queryIndex, long firstIndex, long endIndex) {
    this.queryIndex = queryIndex;
    this.firstIndex = firstIndex;
    this.endIndex = endIndex;
  }

  int queryIndex() { return queryIndex; }
  long firstIndex() { return firstIndex; }
  long endIndex() { return endIndex; }

  long pointCount() {
    return endIndex - firstIndex;
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof RangeQuerySlice)) {
      return false;
    }
    RangeQuerySlice that = (RangeQuerySlice) other;
    return queryIndex == that.queryIndex && firstIndex == that.firstIndex && endIndex == that.endIndex;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(firstIndex) * 31 + Long.hashCode(endIndex) * 17 + queryIndex;
  }

  @Override
  public String toString() {
    return "RangeQuerySlice[query=" + (queryIndex == ALL_QUERIES ? "all" : queryIndex)
        + ", points=" + firstIndex + ".." + endIndex + ")";
  }
}
