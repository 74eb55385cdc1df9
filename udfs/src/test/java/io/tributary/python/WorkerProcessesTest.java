package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.Utils;
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
            PythonTransformException e = assertThrows(
                    PythonTransformException.class,
                    () -> PythonTaskRunTest.run(
                            code,
                            new StructType().add("a", DataTypes.LongType),
                            Map.of("timeout", "5s"),
                            Map.of("pids", pidFile.toString()),
                            0));
            assertTrue(e.getMessage().contains("did not finish within its timeout of 5.0 s"), e.getMessage());
            for (String pid : Files.readString(pidFile).trim().split("\\s+")) {
                pids.add(Long.parseLong(pid));
            }
            assertEquals(4, pids.size());
            assertEquals(List.of(), stillRunningAfterWait(pids), "worker, child, own-session child, orphan");
        } finally {
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    /** Also: in Spark tasks, output files are named by task and lie under the Spark local directory. */
    @Test
    void workersStopWhenTheSparkContextStops() throws Exception {
        SparkSession spark = SparkSession.builder()
                .master("local[2]")
                .appName("workers-stop")
                .config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        List<Long> pids = new ArrayList<>();
        try {
            spark.conf().set(PythonTransformOptions.EXECUTABLE_CONF, PythonTaskRunTest.PYTHON);
            String code = "import os\ncontext.build_result([{'pid': os.getpid()}])";
            StructType pid = StructType.fromDDL("pid BIGINT");
            List<Row> rows;
            List<String> log;
            try (CapturedLog captured = new CapturedLog(PythonWorker.class)) {
                rows = new ArrayList<>(PythonTransform.of("print('a' * 50)\n" + code)
                        .schema(pid)
                        .dataMode(DataMode.DATA)
                        .option("maxLogLineBytes", "10")
                        .apply(spark.range(0, 2, 1, 2).toDF())
                        .collectAsList());
                log = captured.messages().stream()
                        .filter(m -> m.startsWith("python["))
                        .sorted()
                        .toList();
            }
            Path dir = Path.of(
                    Utils.getLocalDir(spark.sparkContext().getConf()),
                    "tributary-python-output-" + spark.sparkContext().applicationId() + "-driver");
            assertEquals(2, log.size(), log.toString());
            for (String line : log) {
                Matcher m = Pattern.compile(
                                "python\\[(\\d+)\\]: a{10}… \\[line cut: 10 of its 50 bytes logged \\(option "
                                        + "'maxLogLineBytes'\\); the output is kept in " + Pattern.quote(dir.toString())
                                        + "/task-\\d+-stage-\\d+\\.0-partition-[01]-worker-(\\d+)\\.log, up to 16777216 bytes "
                                        + "\\(option 'maxOutputFileBytes'\\)\\]")
                        .matcher(line);
                assertTrue(m.matches(), line);
                assertEquals(m.group(1), m.group(2));
                Path file = Path.of(line.substring(line.indexOf(dir.toString()), line.indexOf(", up to")));
                assertEquals("a".repeat(50) + "\n", Files.readString(file));
            }
            rows.addAll(PythonTransform.of(code)
                    .schema(pid)
                    .runIn(RunIn.DRIVER)
                    .apply(spark.range(1).toDF())
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
