package io.tributary.python;

import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.TaskCompletionListener;
import scala.collection.immutable.Nil$;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * The result of a {@code dataMode=model}, {@code runIn=executor} script that reads its input through
 * {@code data_servers()} or {@code to_dataset()}. When a job first needs it, the driver serves the input (one Spark
 * job, see {@link ServedInput}); then one task runs the script with the references, and releases them when it ends,
 * however it ends. The result is kept in Spark's cache (memory and disk), so later actions reuse it instead of
 * running the script again with references that no longer exist.
 */
final class ServedScriptRdd extends RDD<InternalRow> {
    private static final long serialVersionUID = 1L;

    // Needed only where the partitions are computed, on the driver.
    private final transient Dataset<Row> input;
    private final PythonTransformOptions options;
    private final StructType inputSchema;

    @SuppressWarnings("unchecked")
    private ServedScriptRdd(Dataset<Row> input, PythonTransformOptions options) {
        super(
                input.sparkSession().sparkContext(),
                (Seq<Dependency<?>>) (Seq<?>) Nil$.MODULE$,
                ClassTag$.MODULE$.apply(InternalRow.class));
        this.input = input;
        this.options = options;
        this.inputSchema = input.schema();
    }

    static RDD<InternalRow> of(Dataset<Row> input, PythonTransformOptions options) {
        return new ServedScriptRdd(input, options).persist(StorageLevel.MEMORY_AND_DISK());
    }

    @Override
    public Partition[] getPartitions() {
        return new Partition[] {new ScriptPartition(ServedInput.materialize(input, options))};
    }

    @Override
    public scala.collection.Iterator<InternalRow> compute(Partition split, TaskContext context) {
        ServedInput served = ((ScriptPartition) split).served();
        // Listeners run last registered first: the run is closed, then the references released.
        context.addTaskCompletionListener((TaskCompletionListener) c -> served.release());
        PythonWorker worker = PythonWorkerPool.shared().borrow(options.environment());
        // The input comes from the references; the worker's own input stream is empty.
        PythonTaskRun run = new PythonTaskRun(
                worker,
                options.withServedInput(served.references()),
                inputSchema,
                TaskInput.ofRows(Collections.emptyIterator()),
                context);
        context.addTaskCompletionListener((TaskCompletionListener) c -> run.close());
        Iterator<InternalRow> results = run.start();
        // The cache keeps the rows: each is a view into an Arrow batch, so it is copied.
        UnsafeProjection toUnsafe = UnsafeProjection.create(options.schema());
        return CollectionConverters.asScala(results)
                .map(row -> (InternalRow) toUnsafe.apply(row).copy());
    }

    /** The one partition: the script's run, with the served input's references. */
    private record ScriptPartition(ServedInput served) implements Partition {
        private static final long serialVersionUID = 1L;

        @Override
        public int index() {
            return 0;
        }
    }
}
