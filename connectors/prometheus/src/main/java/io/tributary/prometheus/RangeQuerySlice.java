package io.tributary.prometheus;

import java.io.Serializable;

/**
 * One unit of parallel reading: grid indices {@code [firstIndex, endIndex)} of one query (layout=long with
 * {@code metrics}: one metric's selector) or of every query at once ({@link #ALL_QUERIES}, layout=wide).
 */
record RangeQuerySlice(int queryIndex, long firstIndex, long endIndex) implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int ALL_QUERIES = -1;

    long pointCount() {
        return endIndex - firstIndex;
    }

    @Override
    public String toString() {
        return "RangeQuerySlice[query=" + (queryIndex == ALL_QUERIES ? "all" : queryIndex) + ", points=" + firstIndex
                + ".." + endIndex + ")";
    }
}
