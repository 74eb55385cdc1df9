package io.tributary.arrow;

import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.datasources.PartitionedFile;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.SerializableConfiguration;
import org.apache.spark.util.TaskCompletionListener;
import scala.collection.AbstractIterator;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

/**
 * What Spark's file scan calls per split. It returns ColumnarBatches typed as rows, the contract of a
 * FileFormat whose supportBatch is true (Spark's Parquet reader does the same).
 */
final class ArrowReadFunction extends AbstractFunction1<PartitionedFile, Iterator<InternalRow>>
        implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final SerializableConfiguration conf;
    private final StructType requiredSchema;
    private final StructType partitionSchema;

    ArrowReadFunction(SerializableConfiguration conf, StructType requiredSchema, StructType partitionSchema) {
        this.conf = conf;
        this.requiredSchema = requiredSchema;
        this.partitionSchema = partitionSchema;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Iterator<InternalRow> apply(PartitionedFile file) {
        ArrowSplitReader reader = new ArrowSplitReader(
                conf.value(),
                file.filePath().toPath(),
                file.start(),
                file.length(),
                requiredSchema,
                partitionSchema,
                file.partitionValues());
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> reader.close());
        }
        Iterator batches = new AbstractIterator<ColumnarBatch>() {
            @Override
            public boolean hasNext() {
                return reader.hasNext();
            }

            @Override
            public ColumnarBatch next() {
                return reader.next();
            }
        };
        return (Iterator<InternalRow>) batches;
    }
}
