package io.tributary.arrow;

import org.apache.arrow.vector.ValueVector;
import org.apache.spark.sql.vectorized.ColumnVector;

/**
 * Spark's view of the vectors of one loaded Arrow batch, for readers that reload the same vectors batch after
 * batch (a file or stream reader's {@code VectorSchemaRoot}). The views are valid until the reader loads the next
 * batch or closes, and Spark consuming a batch never frees them: the reader does.
 */
public final class BatchColumnVectors {
    private BatchColumnVectors() {}

    /** Flat vectors are read directly from their buffers; nested and decimal ones through ArrowColumnVector. */
    public static ColumnVector of(ValueVector vector) {
        DirectArrowColumnVector direct = DirectArrowColumnVector.tryWrap(vector);
        return direct != null ? direct : new ReaderOwnedArrowColumnVector(vector);
    }
}
