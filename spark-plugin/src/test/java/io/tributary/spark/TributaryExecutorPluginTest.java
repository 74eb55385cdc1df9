package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.python.DataMode;
import io.tributary.python.PythonTransform;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class TributaryExecutorPluginTest {
    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void stoppingTheExecutorStopsItsPythonWorkers() throws Exception {
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("executor-plugin")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        spark.conf()
                .set("spark.tributary.python.executable", System.getenv().getOrDefault("TRIBUTARY_PYTHON", "python3"));
        List<Long> pids = PythonTransform.of("import os\ncontext.build_result([{'pid': os.getpid()}])")
                .schema(StructType.fromDDL("pid BIGINT"))
                .dataMode(DataMode.DATA)
                .apply(spark.range(0, 2, 1, 2).toDF())
                .collectAsList()
                .stream()
                .map(r -> r.getLong(0))
                .distinct()
                .toList();
        assertTrue(pids.stream().allMatch(TributaryExecutorPluginTest::running), pids.toString());

        new TributaryExecutorPlugin().shutdown(); // the executor stops; the SparkContext is still running

        long deadline = System.nanoTime() + 20_000_000_000L;
        List<Long> left = pids;
        while (!(left = pids.stream()
                                .filter(TributaryExecutorPluginTest::running)
                                .toList())
                        .isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), left, "workers of " + pids);
    }
}
