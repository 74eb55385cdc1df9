package io.tributary.arrow;

import org.apache.arrow.vector.ValueVector;
import org.apache.spark.sql.vectorized.ArrowColumnVector;

/**
 * Spark calls {@code closeIfFreeable()} on a batch once it has consumed it, which for a plain ArrowColumnVector
 * closes the Arrow vector. Our vectors belong to the file reader's VectorSchemaRoot and are reloaded with the next
 * record batch, so the reader frees them, not Spark.
 */
final class ReaderOwnedArrowColumnVector extends ArrowColumnVector {
    ReaderOwnedArrowColumnVector(ValueVector vector) {
        super(vector);
    }

    @Override
    public void closeIfFreeable() {
        // Freed by ArrowSplitReader.
    }
}
