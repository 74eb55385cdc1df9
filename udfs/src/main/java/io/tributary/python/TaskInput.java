package io.tributary.python;

import io.tributary.arrow.ArrowBatchBuilder;
import java.util.Iterator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * One task's input partition, handed to the worker as Arrow batches: Spark's rows, or, when the input plan produces
 * them, Spark's columnar batches (copied column by column, without building rows).
 */
public interface TaskInput {
    /**
     * Fills the builder until it is full or the input ends; false when no row was left. Errors of the input query
     * itself come out of here.
     */
    boolean fill(ArrowBatchBuilder builder);

    static TaskInput ofRows(Iterator<InternalRow> rows) {
        return builder -> {
            while (!builder.isFull() && rows.hasNext()) {
                builder.append(rows.next());
            }
            return !builder.isEmpty();
        };
    }

    static TaskInput ofBatches(Iterator<ColumnarBatch> batches) {
        return new ColumnarTaskInput(batches);
    }

    /**
     * Slices of each batch go into the builder until the batch is used up; only then is the next one asked for,
     * because the producers (the cache, the vectorized Parquet reader) refill the same vectors for it.
     */
    final class ColumnarTaskInput implements TaskInput {
        private final Iterator<ColumnarBatch> batches;
        private ColumnarBatch current;
        private int position;

        ColumnarTaskInput(Iterator<ColumnarBatch> batches) {
            this.batches = batches;
        }

        @Override
        public boolean fill(ArrowBatchBuilder builder) {
            while (!builder.isFull()) {
                if (current == null || position >= current.numRows()) {
                    if (!batches.hasNext()) {
                        break;
                    }
                    current = batches.next();
                    position = 0;
                } else {
                    position += builder.appendColumns(current, position);
                }
            }
            return !builder.isEmpty();
        }
    }
}
