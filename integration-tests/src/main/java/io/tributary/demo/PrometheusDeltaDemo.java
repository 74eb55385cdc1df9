package io.tributary.demo;

import io.tributary.python.ByzerCellRunner;
import io.tributary.testing.prometheus.MachineFleetMemory;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The README's demo, the whole workflow Tributary replaces: generates node_memory history, starts a local Prometheus
 * with it, reads the four node_memory metrics of the Python download scripts in wide layout through the plugin jar
 * into a Delta table, runs a Byzer-python cell over it (utilisation per instance per hour) into a second Delta table, exports that with
 * format("arrow"), and has a Python process load it into Polars, print a summary and draw a PNG chart. Launched by
 * {@code dev/demo} through SparkSubmit with {@code --jars tributary-<version>.jar}, as a user's job would be.
 *
 * <p>Arguments: {@code [--work-dir DIR] [--instances N] [--days D] [--python EXE] [--report-script FILE]}.
 */
public final class PrometheusDeltaDemo {
    /** Draws the machine fleet; fixed, so that every run shows the same history. */
    private static final long FLEET = 20231;

    private PrometheusDeltaDemo() {}

    /** The machines' installed memory in GiB, e.g. "8, 16 x3, 32 x2". */
    private static String machineSizes(NodeMemoryHistory history) {
        TreeMap<Long, Integer> sizes = new TreeMap<>();
        for (int k = 0; k < history.instances(); k++) {
            // MemTotal is the installed memory less what the kernel reserves: name the installed size
            sizes.merge((Long.highestOneBit(history.machineFleet().memTotal(k)) << 1) >> 30, 1, Integer::sum);
        }
        StringBuilder text = new StringBuilder();
        sizes.forEach((gib, count) ->
                text.append(text.length() == 0 ? "" : ", ").append(gib).append(count > 1 ? " x" + count : ""));
        return text.toString();
    }

    public static void main(String[] args) throws Exception {
        DemoArguments arguments = DemoArguments.parse(args);
        Path workDir = Files.createDirectories(arguments.workDir);
        Instant start = Instant.parse("2023-01-01T00:00:00Z");
        NodeMemoryHistory history = NodeMemoryHistory.builder()
                .instances(arguments.instances)
                .groups(4)
                .start(start)
                .duration(Duration.ofDays(arguments.days))
                .machineFleet(FLEET)
                .build();

        step(
                "Generating history of %d machines (%s GiB of memory), %d %s at 15 s: 4 node_memory metrics, %d"
                        + " series, %,d samples",
                arguments.instances,
                machineSizes(history),
                arguments.days,
                arguments.days == 1 ? "day" : "days",
                history.series().size(),
                history.totalSampleCount());
        for (MachineFleetMemory.Restart restart : history.machineFleet().restarts()) {
            step(
                    "  %s restarts at %s and is down for %d minutes",
                    history.instance(restart.instance()),
                    history.timestamp(restart.downFrom()),
                    Duration.between(history.timestamp(restart.downFrom()), history.timestamp(restart.upAt()))
                            .toMinutes());
        }
        long generated = System.nanoTime();
        Path openMetrics = workDir.resolve("node_memory.om");
        history.writeOpenMetrics(openMetrics);
        step("Wrote %s (%,d MB) in %.1f s", openMetrics, Files.size(openMetrics) >> 20, seconds(generated));

        step("Starting Prometheus (backfilling blocks with promtool unless an identical history was loaded before)");
        long serverStarted = System.nanoTime();
        try (PrometheusServer prometheus = PrometheusServer.start(workDir.resolve("prometheus"), openMetrics)) {
            step(
                    "Prometheus ready at %s in %.1f s%s",
                    prometheus.url(), seconds(serverStarted), prometheus.reusedBlocks() ? " (blocks reused)" : "");

            long sessionStarted = System.nanoTime();
            SparkSession spark =
                    SparkSession.builder().appName("tributary-demo").getOrCreate();
            step(
                    "Spark %s session (%s) started in %.1f s",
                    spark.version(), spark.sparkContext().master(), seconds(sessionStarted));
            Dataset<Row> memory = spark.read()
                    .format("prometheus")
                    .option("url", prometheus.url())
                    .option("metrics", String.join(",", NodeMemoryHistory.NODE_MEMORY_METRICS))
                    .option("start", start.toString())
                    .option("end", history.lastSampleTime().toString())
                    .option("step", "15s")
                    .option("layout", "wide")
                    .option("labelColumns", "instance,group")
                    .load();

            String table = workDir.resolve("delta/node_memory").toAbsolutePath().toString();
            step("Reading through format(\"prometheus\") (wide layout) into the Delta table %s", table);
            long readStarted = System.nanoTime();
            // the demo owns its tables: a run of an older demo may have left them with other columns
            memory.write()
                    .format("delta")
                    .mode(SaveMode.Overwrite)
                    .option("overwriteSchema", "true")
                    .save(table);
            double readSeconds = seconds(readStarted);

            Dataset<Row> saved = spark.read().format("delta").load(table);
            long rows = saved.count();
            long samples = rows * NodeMemoryHistory.NODE_MEMORY_METRICS.size();
            step(
                    "Wrote %,d rows (%,d metric values) in %.1f s: %,.0f values/s, %d Spark partitions",
                    rows,
                    samples,
                    readSeconds,
                    samples / readSeconds,
                    memory.rdd().getNumPartitions());
            saved.orderBy("instance", "timestamp").show(5, false);

            step("Running the Byzer-python cell memory_hourly_cell.py (utilisation per instance per hour) in a Python"
                    + " worker");
            saved.createOrReplaceTempView("node_memory");
            long cellStarted = System.nanoTime();
            Dataset<Row> hourly = ByzerCellRunner.run(spark, resource("memory_hourly_cell.py"));
            String hourlyTable =
                    workDir.resolve("delta/memory_hourly").toAbsolutePath().toString();
            hourly.write()
                    .format("delta")
                    .mode(SaveMode.Overwrite)
                    .option("overwriteSchema", "true")
                    .save(hourlyTable);
            Dataset<Row> hourlySaved = spark.read().format("delta").load(hourlyTable);
            step(
                    "Wrote %,d hourly rows to the Delta table %s in %.1f s",
                    hourlySaved.count(), hourlyTable, seconds(cellStarted));

            String arrowDir =
                    workDir.resolve("arrow/memory_hourly").toAbsolutePath().toString();
            step("Exporting the hourly table with format(\"arrow\") to %s", arrowDir);
            hourlySaved
                    .coalesce(1)
                    .write()
                    .format("arrow")
                    .mode(SaveMode.Overwrite)
                    .save(arrowDir);

            Path chart = workDir.resolve("memory_utilisation.png").toAbsolutePath();
            step("Polars summary and chart (%s %s)", arguments.python, arguments.reportScript);
            runReport(arguments, arrowDir, chart);

            step("Done. Outputs:");
            step("  Delta table (wide node_memory):   %s", table);
            step("  Delta table (hourly utilisation): %s", hourlyTable);
            step("  Arrow export for Polars:          %s", arrowDir);
            step("  Chart:                            %s", chart);
            spark.stop();
        }
        step("Prometheus stopped");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PrometheusDeltaDemo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The demo jar lacks " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Runs the Python report (Polars summary, matplotlib chart), showing its output as the demo's. */
    private static void runReport(DemoArguments arguments, String arrowDir, Path chart)
            throws IOException, InterruptedException {
        Process report = new ProcessBuilder(
                        arguments.python, arguments.reportScript.toString(), arrowDir, chart.toString())
                .inheritIO()
                .start();
        int exit = report.waitFor();
        if (exit != 0) {
            throw new IllegalStateException(arguments.reportScript + " failed with exit code " + exit);
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void step(String format, Object... values) {
        System.out.printf(Locale.ROOT, "[demo] " + format + "%n", values);
    }

    /** The demo's command line, parsed once. */
    private static final class DemoArguments {
        Path workDir = Path.of("target/demo");
        int instances = 20;
        int days = 2;
        String python = "python3";
        Path reportScript = Path.of("dev/demo_report.py");

        static DemoArguments parse(String[] args) {
            DemoArguments parsed = new DemoArguments();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Argument " + args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--work-dir":
                        parsed.workDir = Path.of(args[i + 1]);
                        break;
                    case "--instances":
                        parsed.instances = positive(args[i], args[i + 1]);
                        break;
                    case "--days":
                        parsed.days = positive(args[i], args[i + 1]);
                        break;
                    case "--python":
                        parsed.python = args[i + 1];
                        break;
                    case "--report-script":
                        parsed.reportScript = Path.of(args[i + 1]);
                        break;
                    default:
                        throw new IllegalArgumentException(
                                "Unknown argument " + args[i]
                                        + "; allowed: --work-dir DIR, --instances N, --days D, --python EXE, --report-script FILE");
                }
            }
            return parsed;
        }

        private static int positive(String name, String value) {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("Argument " + name + " must be a positive whole number, got " + value);
        }
    }
}
