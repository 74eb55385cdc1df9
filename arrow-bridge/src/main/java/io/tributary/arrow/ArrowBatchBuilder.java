package io.tributary.arrow;

import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.ReferenceManager;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Fills one reusable {@link VectorSchemaRoot} with rows, or with slices of Spark's columnar batches. The caller
 * unloads the batch when {@link #isFull()} and then calls {@link #reset()}; buffers keep their capacity between
 * batches.
 */
public final class ArrowBatchBuilder implements AutoCloseable {
    private final VectorSchemaRoot root;
    private final ArrowRowWriter writer;
    private final int maxRows;
    private int rows;

    public ArrowBatchBuilder(Schema schema, BufferAllocator allocator, int maxRows) {
        this.root = VectorSchemaRoot.create(schema, allocator);
        this.maxRows = maxRows;
        this.writer = new ArrowRowWriter(root.getFieldVectors());
    }

    public void append(InternalRow row) {
        writer.write(row, rows);
        rows++;
    }

    /**
     * Appends rows of a columnar batch from {@code fromRow} on, as many as fit before the builder is full, and
     * returns how many it took. The batch's columns must be in the builder's schema's order and types.
     */
    public int appendColumns(ColumnarBatch batch, int fromRow) {
        int count = Math.min(batch.numRows() - fromRow, maxRows - rows);
        if (count > 0) {
            writer.writeColumns(batch, fromRow, count, rows);
            rows += count;
        }
        return Math.max(count, 0);
    }

    public boolean isFull() {
        return rows >= maxRows;
    }

    public boolean isEmpty() {
        return rows == 0;
    }

    /** Sets the value counts; the root is then ready to be unloaded. */
    public VectorSchemaRoot finish() {
        root.setRowCount(rows);
        return root;
    }

    public void reset() {
        writer.reset(rows);
        root.setRowCount(0);
        rows = 0;
    }

    /**
     * Whether anything besides the builder still holds a buffer of its batch (an unloaded batch not closed yet, or
     * whoever retained its buffers from there): the builder must not be {@linkplain #reset reset} and refilled until
     * they let go.
     */
    public boolean isHeld() {
        // Arrow may slice one allocation into several buffers of a vector (validity and values), each holding a
        // reference: the builder's own references to an allocation are as many as its buffers in it.
        Map<ReferenceManager, Integer> own = new IdentityHashMap<>();
        for (FieldVector vector : root.getFieldVectors()) {
            countBuffers(vector, own);
        }
        for (Map.Entry<ReferenceManager, Integer> allocation : own.entrySet()) {
            if (allocation.getKey().getRefCount() > allocation.getValue()) {
                return true;
            }
        }
        return false;
    }

    private static void countBuffers(FieldVector vector, Map<ReferenceManager, Integer> own) {
        for (ArrowBuf buffer : vector.getFieldBuffers()) {
            own.merge(buffer.getReferenceManager(), 1, Integer::sum);
        }
        for (FieldVector child : vector.getChildrenFromFields()) {
            countBuffers(child, own);
        }
    }

    public VectorSchemaRoot root() {
        return root;
    }

    @Override
    public void close() {
        root.close();
    }
}
