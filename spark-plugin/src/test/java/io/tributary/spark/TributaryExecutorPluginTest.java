package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import io.tributary.python.DataMode;
import io.tributary.python.PythonTransform;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.SparkConf;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.resource.ResourceInformation;
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

    @Test
    void withoutTheDriversEndpointAnExecutorSendsNoMetrics() {
        SentMessages context = new SentMessages(new SparkConf(false));
        TributaryExecutorPlugin plugin = new TributaryExecutorPlugin();
        plugin.init(context, Map.of());
        plugin.onTaskSucceeded();

        plugin.shutdown(); // with the endpoint on, this sends the final totals itself

        assertEquals(List.of(), context.sent);
    }

    @Test
    void withTheDriversEndpointAnExecutorSendsItsMetricsAfterATaskAndWhenItStops() throws Exception {
        SentMessages context = new SentMessages(new SparkConf(false)
                .set(MetricsConf.PORT, "0")
                .set(MetricsConf.PUSH_INTERVAL, "365d")); // only task ends and the stop push
        TributaryExecutorPlugin plugin = new TributaryExecutorPlugin();
        plugin.init(context, Map.of());
        plugin.onTaskSucceeded();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (context.sent.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, context.sent.size());

        plugin.shutdown();

        assertEquals(2, context.sent.size());
        for (Object message : context.sent) {
            Object[] snapshot = (Object[]) message;
            assertEquals("7", snapshot[0]);
            @SuppressWarnings("unchecked")
            List<String[]> rows = (List<String[]>) snapshot[1];
            assertTrue(
                    rows.stream().anyMatch(row -> row[3].equals("tributary_prometheus_requests_total")),
                    rows.stream().map(Arrays::toString).toList().toString());
        }
    }

    /** What Spark gives an executor plugin: its conf, an executor id, and the messages it sends to the driver. */
    private static final class SentMessages implements PluginContext {
        private final SparkConf conf;
        final List<Object> sent = new CopyOnWriteArrayList<>();

        SentMessages(SparkConf conf) {
            this.conf = conf;
        }

        @Override
        public MetricRegistry metricRegistry() {
            return new MetricRegistry();
        }

        @Override
        public SparkConf conf() {
            return conf;
        }

        @Override
        public String executorID() {
            return "7";
        }

        @Override
        public String hostname() {
            return "127.0.0.1";
        }

        @Override
        public Map<String, ResourceInformation> resources() {
            return Map.of();
        }

        @Override
        public void send(Object message) {
            sent.add(message);
        }

        @Override
        public Object ask(Object message) {
            throw new UnsupportedOperationException("the executor plugin only sends");
        }
    }
}
