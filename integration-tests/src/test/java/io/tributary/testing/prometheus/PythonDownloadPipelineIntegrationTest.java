package io.tributary.testing.prometheus;

import static io.tributary.testing.prometheus.SharedPrometheus.HISTORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.ProjectDirectory;
import io.tributary.testing.TestPython;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the Python download pipeline Tributary replaces (the Prometheus benchmark's baseline) against the shared
 * server and checks its CSV files.
 */
class PythonDownloadPipelineIntegrationTest {
    private static final Path SCRIPT =
            ProjectDirectory.root().resolve("integration-tests/benchmarks/src/main/python/python_download_pipeline.py");
    private static final String DAY = "--start 2023-01-01T00:00:00Z --end 2023-01-02T00:00:00Z";

    private static String run(String arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                TestPython.executable(),
                SCRIPT.toString(),
                "--url",
                SharedPrometheus.server().url()));
        command.addAll(List.of(arguments.split(" ")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (var in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python_download_pipeline.py did not finish: " + output);
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void queryRangeModeWritesOneCsvPerMetricDayWithEveryPoint(@TempDir Path out) throws Exception {
        String summary = run("--metrics " + String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS) + " --step 15 "
                + DAY + " --out " + out);

        // 12 series x (480 samples + 20 lookback points); one request and one file per metric-day.
        assertTrue(
                summary.matches("\\{\"samples\": 6000, \"seconds\": [0-9.]+, \"requests\": 4, \"files\": 4}"), summary);
        List<String> lines = Files.readAllLines(out.resolve("node_memory_MemFree_bytes-2023-01-01-2023-01-02.csv"));
        assertEquals(1 + 3 * 500, lines.size());
        assertEquals("instance,group,timestamp,node_memory_MemFree_bytes", lines.get(0));
        String free0 = PrometheusJson.apiText(HISTORY.value(NodeMemoryHistory.MEM_FREE, 0, 0));
        String free1 = PrometheusJson.apiText(HISTORY.value(NodeMemoryHistory.MEM_FREE, 0, 1));
        assertEquals("node-00:9100,group-0,1672534800," + free0, lines.get(1));
        assertEquals("node-00:9100,group-0,1672534815," + free1, lines.get(2));
        assertEquals(4, Files.list(out).count());
    }

    @Test
    void seriesWithoutAGroupGetAnEmptyGroupField(@TempDir Path out) throws Exception {
        run("--metrics " + NodeMemoryHistory.PARTLY_GROUPED_METRIC + " " + DAY + " --out " + out);

        List<String> lines =
                Files.readAllLines(out.resolve("tributary_fixture_partly_grouped-2023-01-01-2023-01-02.csv"));
        assertEquals("node-00:9100,group-0,1672534800,1000", lines.get(1));
        assertEquals("node-ungrouped:9100,,1672534800,2000", lines.get(1 + 500));
    }

    @Test
    void chunkedInstantModeKeepsTheNewestSampleOfEachMinute(@TempDir Path out) throws Exception {
        String summary =
                run("--metrics " + NodeMemoryHistory.MEM_TOTAL + " --api chunked-instant " + DAY + " --out " + out);

        // 1440 one-minute requests. The history (01:00 to 02:59:45) has samples in the windows [T - 60 s, T] ending at
        // T = 01:00 (Prometheus 2.x range selectors include both ends), 01:01, ..., 03:00: 121 rows per series.
        assertTrue(
                summary.matches("\\{\"samples\": 363, \"seconds\": [0-9.]+, \"requests\": 1440, \"files\": 1}"),
                summary);
        List<String> lines = Files.readAllLines(out.resolve("node_memory_MemTotal_bytes-2023-01-01-2023-01-02.csv"));
        assertEquals(1 + 363, lines.size());
        assertTrue(lines.contains("node-01:9100,group-1,1672534800,12884901888"), String.join("\n", lines));
        assertTrue(lines.contains("node-01:9100,group-1,1672534860,12884901888"));
        assertTrue(lines.contains("node-01:9100,group-1,1672541985,12884901888"));
    }
}
