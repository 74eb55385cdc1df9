package io.tributary.python;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.ColumnarToRowExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.WholeStageCodegenExec;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Finds an input whose rows Spark would only make by converting columnar batches: a cached Dataset or a Parquet
 * or Delta table read as it is. A transform's tasks then take those batches and copy them into Arrow column by
 * column, instead of Spark building a row of each value and the Arrow writer reading it back.
 */
public final class ColumnarInput {
    private ColumnarInput() {}

    /** What a Spark job runs once per partition, given the partition's rows ready to go into Arrow batches. */
    @FunctionalInterface
    public interface PartitionTask<R> extends Serializable {
        R run(int index, TaskInput input) throws Exception;
    }

    /**
     * Runs {@code task} on every partition of {@code input}: over its columnar batches where the plan makes them (see
     * {@link #of}), else over its rows; one result per partition, in partition order.
     */
    public static <R> JavaRDD<R> perPartition(Dataset<Row> input, PartitionTask<R> task) {
        Optional<RDD<ColumnarBatch>> batches = of(input);
        if (batches.isPresent()) {
            return batches.get()
                    .toJavaRDD()
                    .mapPartitionsWithIndex(
                            (index, partition) -> List.of(task.run(index, TaskInput.ofBatches(partition)))
                                    .iterator(),
                            false);
        }
        return input.queryExecution()
                .toRdd()
                .toJavaRDD()
                .mapPartitionsWithIndex(
                        (index, partition) -> List.of(task.run(index, TaskInput.ofRows(partition)))
                                .iterator(),
                        false);
    }

    /**
     * The batches of the plan under the input's row conversion, or empty when the input's plan does more than
     * convert a columnar scan to rows (a filter, a projection, a shuffle), or its scan is not columnar.
     */
    public static Optional<RDD<ColumnarBatch>> of(Dataset<Row> input) {
        SparkPlan top = input.queryExecution().executedPlan();
        if (top.supportsColumnar()) {
            // A scan that makes rows and batches alike, like the cache's: Spark asked it for rows.
            return Optional.of(top.executeColumnar());
        }
        if (top instanceof WholeStageCodegenExec stage) {
            top = stage.child();
        }
        if (top instanceof ColumnarToRowExec toRows && toRows.child().supportsColumnar()) {
            return Optional.of(toRows.child().executeColumnar());
        }
        return Optional.empty();
    }
}
