package io.tributary.testing.spark;

import io.tributary.python.PythonTransform;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The job the Ray cluster test submits: a script connected to a Ray cluster counts each input partition in a Ray
 * task that pulls it from the data server of the executor holding it, and reports the partition's server; written to
 * Delta. Arguments: {@code <ray address> <rows> <partitions> <delta path>}.
 */
public final class RayDataServersJob {
    static final String SCRIPT = String.join(
            "\n",
            "import ray",
            "from pyjava import rayfix",
            "from pyjava.api.mlsql import RayContext",
            "ray_context = RayContext.connect(globals(), context.conf['rayAddress'])",
            "@ray.remote",
            "@rayfix.last",
            "def count(ref):",
            "    return sum(row['id'] for row in RayContext.collect_from([ref]))",
            "refs = ray_context.data_servers()",
            "sums = ray.get([count.remote(ref) for ref in refs])",
            "context.build_result([{'server': ref.split('/')[0], 'partition': int(ref.split('/')[2].split('#')[0]),",
            "                       'id_sum': s} for ref, s in zip(refs, sums)])",
            "");

    private RayDataServersJob() {}

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().getOrCreate();
        PythonTransform.of(SCRIPT)
                .schema(StructType.fromDDL("server STRING, partition BIGINT, id_sum BIGINT"))
                .conf("rayAddress", args[0])
                .apply(spark.range(0, Long.parseLong(args[1]), 1, Integer.parseInt(args[2]))
                        .toDF())
                .write()
                .format("delta")
                .mode(SaveMode.Overwrite)
                .save(args[3]);
        spark.stop();
    }
}
