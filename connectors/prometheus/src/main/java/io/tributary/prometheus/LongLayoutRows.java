package io.tributary.prometheus;

import io.tributary.prometheus.client.NativeHistogram;
import io.tributary.prometheus.client.SeriesBlock;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Turns the series of one response into layout=long rows, one per point: a float sample sets {@code value} and
 * leaves {@code histogram} null, a native histogram the other way round.
 */
final class LongLayoutRows {
    private final RowColumns columns;
    private final InternalRow row;
    private List<SeriesBlock> blocks = List.of();
    private int blockIndex = -1;
    private int sampleIndex = -1;
    private SeriesBlock block;

    LongLayoutRows(RowColumns columns) {
        this.columns = columns;
        this.row = columns.newRow();
    }

    void reset(List<SeriesBlock> nextBlocks) {
        blocks = nextBlocks;
        blockIndex = -1;
        block = null;
        sampleIndex = -1;
    }

    /** Moves to the next sample; false when this response has no more. */
    boolean advance() {
        while (block == null || ++sampleIndex >= block.size()) {
            if (++blockIndex >= blocks.size()) {
                block = null;
                return false;
            }
            block = blocks.get(blockIndex);
            sampleIndex = -1;
            SeriesRowValues.of(block.labels(), columns).writeInto(row, columns);
        }
        NativeHistogram histogram = block.histogram(sampleIndex);
        for (int column = 0; column < columns.size(); column++) {
            switch (columns.kind(column)) {
                case TIMESTAMP:
                    row.setLong(column, block.timestampMillis(sampleIndex) * 1000L);
                    break;
                case VALUE:
                    if (histogram == null) {
                        row.setDouble(column, block.value(sampleIndex));
                    } else {
                        row.setNullAt(column);
                    }
                    break;
                case HISTOGRAM:
                    if (histogram == null) {
                        row.setNullAt(column);
                    } else {
                        row.update(column, HistogramValues.toRow(histogram));
                    }
                    break;
                default:
                    break;
            }
        }
        return true;
    }

    /** The current row; reused between calls, as Spark's scans copy what they keep. */
    InternalRow row() {
        return row;
    }
}
