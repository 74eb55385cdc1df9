package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workers, and what their scripts start, do not outlive a kill or the application. */
class WorkerProcessesTest {
    static final long WAIT_MILLIS = 20_000;

    @TempDir
    Path tmp;

    static boolean running(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits (bounded) until none of {@code pids} runs; the ones still running. */
    static List<Long> stillRunningAfterWait(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        List<Long> left = pids;
        while (!(left = pids.stream().filter(WorkerProcessesTest::running).toList()).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return left;
    }

    @Test
    void aTimeoutKillsTheWorkerAndEveryProcessItsScriptStarted() throws Exception {
        // A child in the worker's group, one in a session of its own (still the worker's descendant), and an orphan
        // of a shell that exited (no longer a descendant, still in the group).
        String code = """
                import os, subprocess, time
                pids = context.conf["pids"]
                child = subprocess.Popen(["sleep", "300"])
                own_session = subprocess.Popen(["sleep", "301"], start_new_session=True)
                subprocess.run(["sh", "-c", "sleep 302 > /dev/null 2>&1 & echo $! > " + pids + ".orphan"], check=True)
                with open(pids + ".tmp", "w") as f:
                    f.write("%d %d %d %s" % (os.getpid(), child.pid, own_session.pid, open(pids + ".orphan").read()))
                os.rename(pids + ".tmp", pids)
                time.sleep(600)
                """;
        Path pidFile = tmp.resolve("pids");
        List<Long> pids = new ArrayList<>();
        try {
            PythonTransformException e = assertThrows(PythonTransformException.class, () -> PythonTaskRunTest.run(
                    code, new StructType().add("a", DataTypes.LongType), Map.of("timeout", "3s"),
                    Map.of("pids", pidFile.toString()), 0));
            assertTrue(e.getMessage().contains("did not finish within its timeout of 3.0 s"), e.getMessage());
            for (String pid : Files.readString(pidFile).trim().split("\\s+")) {
                pids.add(Long.parseLong(pid));
            }
            assertEquals(4, pids.size());
            assertEquals(List.of(), stillRunningAfterWait(pids), "worker, child, own-session child, orphan");
        } finally {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    @Test
    void workersStopWhenTheSparkContextStops() throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("workers-stop")
                .config("spark.ui.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<Long> pids = new ArrayList<>();
        try {
            spark.conf().set(PythonTransformOptions.EXECUTABLE_CONF, PythonTaskRunTest.PYTHON);
            String code = "import os\ncontext.build_result([{'pid': os.getpid()}])";
            StructType pid = StructType.fromDDL("pid BIGINT");
            List<Row> rows = new ArrayList<>(PythonTransform.of(code).schema(pid).dataMode(DataMode.DATA)
                    .apply(spark.range(0, 2, 1, 2).toDF()).collectAsList());
            rows.addAll(PythonTransform.of(code).schema(pid).runIn(RunIn.DRIVER).apply(spark.range(1).toDF())
                    .collectAsList());
            pids = rows.stream().map(r -> r.getLong(0)).distinct().collect(Collectors.toList());
            assertTrue(pids.stream().allMatch(WorkerProcessesTest::running), pids.toString());
            assertTrue(PythonWorkerPool.shared().idleCount(PythonEnvironment.resolve(null, PythonTaskRunTest.PYTHON))
                    >= 1);
        } finally {
            spark.stop();
        }
        assertEquals(List.of(), stillRunningAfterWait(pids), "workers of " + pids);
    }
}
