package io.tributary.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.BuildArtifacts;
import io.tributary.testing.TestPython;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as {@code dev/demo} launches it (dev/spark-submit, the demo's log4j2 configuration, loopback only), on a
 * small fleet: 3 machines, one day. Checks what a user sees: the demo's progress and report lines, the restart the
 * history contains found again in the hourly table, and no Spark INFO log.
 */
class PrometheusDeltaDemoIntegrationTest {
    @Test
    void demoShowsItsProgressAndTheFleetsRestartWithoutSparkInfoLogs(@TempDir Path work) throws Exception {
        Path stdout = work.resolve("stdout.txt");
        Path stderr = work.resolve("stderr.txt");
        Path workDir = work.resolve("demo");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of("..", "dev", "spark-submit").toString(),
                        "--master",
                        "local[2]",
                        "--class",
                        PrometheusDeltaDemo.class.getName(),
                        "--conf",
                        "spark.tributary.python.executable=" + TestPython.executable(),
                        BuildArtifacts.integrationTestsJar().toString(),
                        "--work-dir",
                        workDir.toString(),
                        "--instances",
                        "3",
                        "--days",
                        "1",
                        "--python",
                        TestPython.executable(),
                        "--report-script",
                        Path.of("..", "dev", "demo_report.py").toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment()
                .put(
                        "TRIBUTARY_JAVA_OPTS",
                        "-Dlog4j2.configurationFile="
                                + Path.of("..", "dev", "demo-log4j2.properties").toAbsolutePath());
        Process demo = builder.start();
        try {
            assertTrue(demo.waitFor(10, TimeUnit.MINUTES), "the demo did not finish within 10 minutes");
        } finally {
            demo.destroyForcibly();
        }
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, demo.exitValue(), "demo failed:\n" + out + "\n" + err);

        List<String> lines = out.lines().toList();
        assertEquals(
                "[demo] Generating history of 3 machines (8, 32, 128 GiB of memory), 1 day at 15 s: 4 node_memory"
                        + " metrics, 12 series, 68,960 samples",
                lines.get(0));
        assertEquals("[demo]   node-02:9100 restarts at 2023-01-01T08:44:15Z and is down for 10 minutes", lines.get(1));
        assertTrue(
                lines.contains("[report] 72 hourly rows, 3 instances, 2023-01-01 00:00:00+00:00 .. 2023-01-01"
                        + " 23:00:00+00:00"),
                out);
        assertTrue(lines.contains("[report] hours with missing samples (a machine down): 1"), out);
        // the Polars table row of the restart: 20 points missing (10 minutes down less the 5-minute lookback), and
        // utilisation falls from 52.6 % the hour before to 21.7 % the hour after
        assertTrue(
                lines.stream()
                        .map(line -> line.replaceAll("\\s+", " "))
                        .anyMatch("│ node-02:9100 ┆ 2023-01-01 08:00:00 UTC ┆ 20 ┆ 0.526 ┆ 0.217 │"::equals),
                out);
        assertTrue(lines.contains("[demo] Prometheus stopped"), out);

        assertTrue(err.lines().noneMatch(line -> line.contains(" INFO ") || line.contains("log4j profile")), err);
        byte[] png = Files.readAllBytes(workDir.resolve("memory_utilisation.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
    }
}
