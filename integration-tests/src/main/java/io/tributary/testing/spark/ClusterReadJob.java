package io.tributary.testing.spark;

import static org.apache.spark.sql.functions.col;

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
 * executors, tags each row with the executor that read it, and writes a Delta table.
 * Arguments: {@code <prometheus url> <metrics> <start> <end> <delta path>}.
 */
public final class ClusterReadJob {
  private ClusterReadJob() {}

  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().getOrCreate();
    Dataset<Row> read = spark.read().format("prometheus").option("url", args[0]).option("metrics", args[1])
        .option("start", args[2]).option("end", args[3]).option("partitionDuration", "10m")
        .option("labelColumns", "instance").load()
        .select(col("metric"), col("instance"), col("timestamp"), col("value"));
    StructType tagged = read.schema().add("executor_id", DataTypes.StringType);
    Dataset<Row> withExecutor = read.map((MapFunction<Row, Row>) row -> RowFactory.create(row.get(0), row.get(1),
        row.get(2), row.get(3), SparkEnv.get().executorId()), Encoders.row(tagged));
    withExecutor.write().format("delta").mode(SaveMode.Overwrite).save(args[4]);
    spark.stop();
  }

}
