package io.tributary.testing.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.tributary.python.DataMode;
import io.tributary.python.PythonTransform;
import io.tributary.python.RunIn;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job the cluster test submits with spark-submit: reads Prometheus through the plugin jar on the cluster's
 * executors, tags each row with the executor that read it, runs a Python transform over every partition on the
 * executors (it adds the worker's process id and the value in GiB), and writes a Delta table. Then a
 * {@code runIn=driver} script counts the read's rows and reports its Python process's parent, written with the
 * driver's process id to {@code <delta path>-driver-run}.
 * Arguments: {@code <prometheus url> <metrics> <start> <end> <delta path>}.
 */
public final class ClusterReadJob {
    /** Byzer-style map_iter over each partition, in the executors' Python workers. */
    static final String PYTHON_SCRIPT = String.join(
            "\n",
            "import os",
            "from pyjava.api.mlsql import RayContext",
            "ray_context = RayContext.connect(globals(), None)",
            "def tag(rows):",
            "    pid = os.getpid()",
            "    for row in rows:",
            "        row['python_pid'] = pid",
            "        row['gib'] = row['value'] / 2**30",
            "        yield row",
            "ray_context.map_iter(tag)",
            "");

    /** Byzer's runIn=driver: one run on the driver over the whole read. */
    static final String DRIVER_SCRIPT = String.join(
            "\n",
            "import os",
            "from pyjava.api.mlsql import RayContext",
            "ray_context = RayContext.connect(globals(), None)",
            "context.build_result([{'rows': sum(1 for _ in ray_context.collect()), 'python_ppid': os.getppid()}])",
            "");

    private ClusterReadJob() {}

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().getOrCreate();
        Dataset<Row> read = spark.read()
                .format("prometheus")
                .option("url", args[0])
                .option("metrics", args[1])
                .option("start", args[2])
                .option("end", args[3])
                .option("partitionDuration", "10m")
                .option("labelColumns", "instance")
                .load()
                .select(col("metric"), col("instance"), col("timestamp"), col("value"));
        StructType tagged = read.schema().add("executor_id", DataTypes.StringType);
        Dataset<Row> withExecutor = read.map(
                (MapFunction<Row, Row>) row -> RowFactory.create(
                        row.get(0),
                        row.get(1),
                        row.get(2),
                        row.get(3),
                        SparkEnv.get().executorId()),
                Encoders.row(tagged));
        Dataset<Row> transformed = PythonTransform.of(PYTHON_SCRIPT)
                .schema(tagged.add("python_pid", DataTypes.LongType).add("gib", DataTypes.DoubleType))
                .dataMode(DataMode.DATA)
                .apply(withExecutor);
        transformed.write().format("delta").mode(SaveMode.Overwrite).save(args[4]);
        PythonTransform.of(DRIVER_SCRIPT)
                .schema(StructType.fromDDL("rows BIGINT, python_ppid BIGINT"))
                .runIn(RunIn.DRIVER)
                .apply(read)
                .withColumn("driver_pid", lit(ProcessHandle.current().pid()))
                .write()
                .format("delta")
                .mode(SaveMode.Overwrite)
                .save(args[4] + "-driver-run");
        spark.stop();
    }
}
