package io.tributary.python;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Nil$;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * The rows of a {@code runIn=driver} transform. The script runs on the driver the first time Spark asks for this
 * RDD's partitions, which it does in the thread that submits a job using it (never in the scheduler's event loop):
 * so the transform stays lazy, and runs once however many actions reuse the Dataset. The input reaches the driver
 * one partition at a time; the result rows stay there, split into partitions that travel with their tasks.
 */
final class DriverSideRdd extends RDD<InternalRow> {
    private static final long serialVersionUID = 1L;

    // Needed only where the partitions are computed, on the driver.
    private final transient Dataset<Row> input;
    private final transient PythonTransformOptions options;

    @SuppressWarnings("unchecked")
    DriverSideRdd(Dataset<Row> input, PythonTransformOptions options) {
        super(
                input.sparkSession().sparkContext(),
                (Seq<Dependency<?>>) (Seq<?>) Nil$.MODULE$,
                ClassTag$.MODULE$.apply(InternalRow.class));
        this.input = input;
        this.options = options;
    }

    @Override
    public Partition[] getPartitions() {
        List<InternalRow> rows = runScript();
        int slices = Math.max(1, Math.min(sparkContext().defaultParallelism(), rows.size()));
        Partition[] partitions = new Partition[slices];
        for (int i = 0; i < slices; i++) {
            int from = (int) ((long) rows.size() * i / slices);
            int to = (int) ((long) rows.size() * (i + 1) / slices);
            partitions[i] = new ResultSlice(i, new ArrayList<>(rows.subList(from, to)));
        }
        return partitions;
    }

    @Override
    public scala.collection.Iterator<InternalRow> compute(Partition split, TaskContext context) {
        return CollectionConverters.asScala(((ResultSlice) split).rows.iterator());
    }

    private List<InternalRow> runScript() {
        StructType inputSchema = input.schema();
        // A script reading data_servers() gets the input served on the executors instead of streamed here.
        ServedInput served = ServedInput.wanted(options.code()) ? ServedInput.materialize(input, options) : null;
        try {
            return runScript(inputSchema, served);
        } finally {
            if (served != null) {
                served.release();
            }
        }
    }

    private List<InternalRow> runScript(StructType inputSchema, ServedInput served) {
        // Rows of a scan are reused buffers: each is copied before it leaves its task.
        Iterator<InternalRow> local = served != null
                ? java.util.Collections.emptyIterator()
                : input.queryExecution()
                        .toRdd()
                        .toJavaRDD()
                        .map(InternalRow::copy)
                        .toLocalIterator();
        UnsafeProjection toUnsafe = UnsafeProjection.create(options.schema());
        List<InternalRow> out = new ArrayList<>();
        PythonWorker worker = PythonWorkerPool.shared().borrow(options.environment());
        PythonTaskRun run = new PythonTaskRun(
                worker,
                served != null ? options.withServedInput(served.references()) : options,
                inputSchema,
                TaskInput.ofRows(local),
                null);
        try {
            Iterator<InternalRow> results = run.start();
            while (results.hasNext()) {
                // Each result row is a view into the current Arrow batch; an UnsafeRow copy owns its bytes.
                out.add(toUnsafe.apply(results.next()).copy());
            }
        } finally {
            run.close();
        }
        return out;
    }

    /** A share of the script's result rows, shipped with the task that reads it. */
    private record ResultSlice(int index, ArrayList<InternalRow> rows) implements Partition {
        private static final long serialVersionUID = 1L;
    }
}
