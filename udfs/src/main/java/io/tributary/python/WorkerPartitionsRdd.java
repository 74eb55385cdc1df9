package io.tributary.python;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.TaskCompletionListener;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The rows of a transform that runs in the executors over its input's partitions: each partition of the parent
 * (the input, or the input coalesced to one partition) goes through one worker. Why an RDD of its own rather than
 * {@code mapPartitions}: Spark's closure cleaner reads and parses the bytecode of the mapped function's class every
 * time a transform is planned, about half of planning's CPU time; a subclass has no closure to clean.
 */
final class WorkerPartitionsRdd<T> extends RDD<InternalRow> {
    private static final long serialVersionUID = 1L;

    /** How a task's partition of the parent becomes the worker's input: as rows or as columnar batches. */
    interface PartitionInput<T> extends Serializable {
        TaskInput of(Iterator<T> partition);
    }

    private final ClassTag<T> parentType;
    private final PartitionInput<T> partitionInput;
    private final PythonTransformOptions options;
    private final StructType inputSchema;

    WorkerPartitionsRdd(
            RDD<T> parent, PartitionInput<T> partitionInput, PythonTransformOptions options, StructType inputSchema) {
        super(parent, ClassTag$.MODULE$.apply(InternalRow.class));
        this.parentType = parent.elementClassTag();
        this.partitionInput = partitionInput;
        this.options = options;
        this.inputSchema = inputSchema;
    }

    @Override
    public Partition[] getPartitions() {
        return firstParent(parentType).partitions();
    }

    @Override
    public scala.collection.Iterator<InternalRow> compute(Partition split, TaskContext context) {
        Iterator<T> partition =
                CollectionConverters.asJava(firstParent(parentType).iterator(split, context));
        PythonWorker worker = PythonWorkerPool.shared().borrow(options.environment());
        PythonTaskRun run = new PythonTaskRun(worker, options, inputSchema, partitionInput.of(partition), context);
        context.addTaskCompletionListener((TaskCompletionListener) c -> run.close());
        return CollectionConverters.asScala(run.start());
    }
}
