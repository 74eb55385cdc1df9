package io.tributary.python;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Runs a Byzer-python script over a Dataset in Python worker processes next to the executors (or on the driver, with
 * {@code runIn=driver}) and returns its
 * result as a Dataset of the declared schema.
 *
 * <pre>{@code
 * Dataset<Row> out = PythonTransform.of("""
 *         from pyjava.api.mlsql import PythonContext, RayContext
 *         ray_context = RayContext.connect(globals(), None)
 *         def add_one():
 *             for item in ray_context.collect():
 *                 item["a"] = item["a"] + 1
 *                 yield item
 *         context.build_result(add_one())
 *         """)
 *     .schema(new StructType().add("a", DataTypes.LongType))
 *     .dataMode(DataMode.MODEL)
 *     .timeout(Duration.ofMinutes(5))
 *     .apply(spark.sql("SELECT 1L AS a"));
 * }</pre>
 *
 * The transform is lazy: it runs when the result is computed (for example written to Delta), like any Dataset, and
 * again for every action that computes it, except with {@code runIn=driver}, where it runs once per Dataset.
 */
public final class PythonTransform {
    private final String code;
    private StructType schema;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final Map<String, String> scriptConf = new LinkedHashMap<>();

    private PythonTransform(String code) {
        this.code = code;
    }

    public static PythonTransform of(String code) {
        return new PythonTransform(code);
    }

    /** The declared output schema (Byzer's {@code #%schema}). Required. */
    public PythonTransform schema(StructType declared) {
        this.schema = declared;
        return this;
    }

    public PythonTransform dataMode(DataMode mode) {
        return option(PythonTransformOptions.DATA_MODE, mode.wireName());
    }

    /** Byzer's {@code #%runIn}: where a {@code dataMode=model} script runs (default {@code EXECUTOR}). */
    public PythonTransform runIn(RunIn place) {
        return option(PythonTransformOptions.RUN_IN, place.wireName());
    }

    /** Byzer's {@code #%env}: {@code :}, an environment directory, or {@code source .../bin/activate name}. */
    public PythonTransform env(String env) {
        return option(PythonTransformOptions.ENV, env);
    }

    public PythonTransform timeout(Duration timeout) {
        return option(PythonTransformOptions.TIMEOUT, timeout.toMillis() + "ms");
    }

    /** Any option by name, as text: dataMode, runIn, env, timeout, maxRecordsPerBatch. */
    public PythonTransform option(String name, String value) {
        options.put(name, value);
        return this;
    }

    /** An entry of the script's {@code context.conf}. */
    public PythonTransform conf(String key, String value) {
        scriptConf.put(key, value);
        return this;
    }

    /**
     * Stops this JVM's Python workers, idle or running a task (whose task then fails), and the processes their
     * scripts started. Tributary's executor plugin calls it when its executor stops; without the plugin, they stop
     * when the SparkContext that planned a transform stops, and when the JVM exits.
     */
    public static void stopWorkers() {
        PythonWorkerPool.stopAllStarted();
    }

    /** Plans the transform over {@code input}; options are checked now, the script runs when the result is. */
    public Dataset<Row> apply(Dataset<Row> input) {
        SparkSession session = (SparkSession) input.sparkSession();
        Map<String, String> sessionConf =
                CollectionConverters.asJava(session.conf().getAll());
        PythonTransformOptions parsed = PythonTransformOptions.from(code, schema, options, sessionConf, scriptConf);
        return apply(input, parsed);
    }

    /** With options parsed elsewhere (for example from a Byzer cell's annotations). */
    public static Dataset<Row> apply(Dataset<Row> input, PythonTransformOptions options) {
        SparkSession session = (SparkSession) input.sparkSession();
        PythonWorkerPool.stopWorkersWhenStopped(session.sparkContext());
        StructType inputSchema = input.schema();
        // Checks the input's column types now, before any task runs.
        io.tributary.arrow.SparkToArrowSchema.toArrow(inputSchema);
        RDD<InternalRow> out;
        if (options.dataMode() == DataMode.MODEL && options.runIn() == RunIn.DRIVER) {
            out = new DriverSideRdd(input, options);
        } else if (options.dataMode() == DataMode.MODEL && ServedInput.wanted(options.code())) {
            out = ServedScriptRdd.of(input, options);
        } else {
            Optional<RDD<ColumnarBatch>> batches = ColumnarInput.of(input);
            out = batches.isPresent()
                    ? run(session, batches.get(), TaskInput::ofBatches, options, inputSchema)
                    : run(session, input.queryExecution().toRdd(), TaskInput::ofRows, options, inputSchema);
        }
        // Spark's scan of an RDD names the RDD in EXPLAIN and the SQL tab ("Scan ExistingRDD <name>").
        out.setName(options.describe());
        return session.internalCreateDataFrame(out, options.schema(), false);
    }

    private static <T> RDD<InternalRow> run(
            SparkSession session,
            RDD<T> input,
            WorkerPartitionsRdd.PartitionInput<T> partitionInput,
            PythonTransformOptions options,
            StructType inputSchema) {
        if (options.dataMode() == DataMode.MODEL) {
            // One task reads every partition in turn (no shuffle): the script sees the whole input as one stream.
            // An input without partitions (Byzer's empty `command` table) still gets its one run of the script.
            input = input.getNumPartitions() == 0
                    ? JavaSparkContext.fromSparkContext(session.sparkContext())
                            .<T>parallelize(List.of(), 1)
                            .rdd()
                    : input.toJavaRDD().coalesce(1).rdd();
        }
        return new WorkerPartitionsRdd<>(input, partitionInput, options, inputSchema);
    }
}
