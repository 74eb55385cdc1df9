package io.tributary.arrow;

import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.apache.arrow.vector.FieldVector;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnarArray;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Writes rows into the top-level vectors of a batch, one {@link ArrowFieldWriter} per column.
 *
 * <p>Why the columns are grouped by writer class: one loop over all writers makes one call site that reaches every
 * writer class, a virtual call per value that the JIT cannot inline. With one loop per common class (long, int,
 * double, string) each loop's call always reaches the same class, so the JIT inlines the row getter and the copy
 * into the loop (a single-thread microbenchmark on the benchmark's 20-column rows, on a loaded machine: about 10.6
 * instead of 13-16 ns per value). Columns of other types share a last loop with virtual calls. The order columns are
 * written in does not matter: each has its own vector.
 */
final class ArrowRowWriter {
    private final ArrowFieldWriter[] byColumn;
    private final ArrowFieldWriter.LongWriter[] longs;
    private final int[] longColumns;
    private final ArrowFieldWriter.IntWriter[] ints;
    private final int[] intColumns;
    private final ArrowFieldWriter.DoubleWriter[] doubles;
    private final int[] doubleColumns;
    private final ArrowFieldWriter.StringWriter[] strings;
    private final int[] stringColumns;
    private final ArrowFieldWriter[] others;
    private final int[] otherColumns;

    ArrowRowWriter(List<FieldVector> vectors) {
        byColumn = vectors.stream().map(ArrowFieldWriter::forVector).toArray(ArrowFieldWriter[]::new);
        longColumns = columnsOf(ArrowFieldWriter.LongWriter.class);
        longs = writers(longColumns, ArrowFieldWriter.LongWriter[]::new);
        intColumns = columnsOf(ArrowFieldWriter.IntWriter.class);
        ints = writers(intColumns, ArrowFieldWriter.IntWriter[]::new);
        doubleColumns = columnsOf(ArrowFieldWriter.DoubleWriter.class);
        doubles = writers(doubleColumns, ArrowFieldWriter.DoubleWriter[]::new);
        stringColumns = columnsOf(ArrowFieldWriter.StringWriter.class);
        strings = writers(stringColumns, ArrowFieldWriter.StringWriter[]::new);
        otherColumns = IntStream.range(0, byColumn.length)
                .filter(c -> !isGrouped(byColumn[c]))
                .toArray();
        others = writers(otherColumns, ArrowFieldWriter[]::new);
    }

    private static boolean isGrouped(ArrowFieldWriter writer) {
        return writer instanceof ArrowFieldWriter.LongWriter
                || writer instanceof ArrowFieldWriter.IntWriter
                || writer instanceof ArrowFieldWriter.DoubleWriter
                || writer instanceof ArrowFieldWriter.StringWriter;
    }

    private int[] columnsOf(Class<? extends ArrowFieldWriter> kind) {
        return IntStream.range(0, byColumn.length)
                .filter(c -> byColumn[c].getClass() == kind)
                .toArray();
    }

    @SuppressWarnings("unchecked")
    private <W extends ArrowFieldWriter> W[] writers(int[] columns, IntFunction<W[]> array) {
        W[] selected = array.apply(columns.length);
        for (int i = 0; i < columns.length; i++) {
            selected[i] = (W) byColumn[columns[i]];
        }
        return selected;
    }

    /** Writes {@code row} into slot {@code index} of every column. */
    void write(InternalRow row, int index) {
        for (int i = 0; i < longs.length; i++) {
            longs[i].write(row, longColumns[i], index);
        }
        for (int i = 0; i < ints.length; i++) {
            ints[i].write(row, intColumns[i], index);
        }
        for (int i = 0; i < doubles.length; i++) {
            doubles[i].write(row, doubleColumns[i], index);
        }
        for (int i = 0; i < strings.length; i++) {
            strings[i].write(row, stringColumns[i], index);
        }
        for (int i = 0; i < others.length; i++) {
            others[i].write(row, otherColumns[i], index);
        }
    }

    /**
     * Writes rows {@code fromRow} to {@code fromRow + count - 1} of a columnar batch into slots {@code index}
     * onwards, column after column: no row is built, and each column's loop reaches one writer class.
     */
    void writeColumns(ColumnarBatch batch, int fromRow, int count, int index) {
        for (int c = 0; c < byColumn.length; c++) {
            byColumn[c].writeAll(new ColumnarArray(batch.column(c), fromRow, count), count, index);
        }
    }

    /** Readies every column for the next batch, after a batch of {@code rows} rows. */
    void reset(int rows) {
        for (ArrowFieldWriter writer : byColumn) {
            writer.reset(rows);
        }
    }
}
