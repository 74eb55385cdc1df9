package io.tributary.bench.prometheus;

import io.tributary.bench.BenchFlags;
import io.tributary.bench.FreshProcessRun;
import io.tributary.bench.HeapPeaks;
import io.tributary.testing.ProjectDirectory;
import io.tributary.testing.prometheus.PrometheusServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Whether the Prometheus connector's cost grows linearly with the samples read and with the series they come in:
 * at each size (by default 50 instances over 1, 4 and 16 days, then 500 and 5,000 instances holding about the
 * samples of the first), the long layout into Delta, the wide layout into Delta and a count-only read, each the whole
 * of a fresh process on {@code local[2]} ({@link PrometheusColdJob}, measured by {@link FreshProcessRun}), with the
 * job's own heap peaks ({@link HeapPeaks}). Every written table and count is checked against the history's samples
 * afterwards. Launched by {@code dev/bench-scaling} through SparkSubmit with the plugin jar.
 *
 * <p>Arguments: {@code [--work-dir DIR] [--points 50x1d,50x4d,50x16d,500x2h24m,5000x14m30s]}.
 */
public final class PrometheusScalingBenchmark {
    static final String DEFAULT_POINTS = "50x1d,50x4d,50x16d,500x2h24m,5000x14m30s";
    /** The jobs at every size; no floor, the comparison is each job against itself at other sizes. */
    static final List<String> JOBS = List.of(PrometheusColdJob.LONG, PrometheusColdJob.WIDE, PrometheusColdJob.COUNT);

    private PrometheusScalingBenchmark() {}

    public static void main(String[] args) throws Exception {
        BenchFlags flags = BenchFlags.parse(args, "--work-dir", "--points");
        Path work = Files.createDirectories(flags.path("--work-dir", Path.of("target/bench-scaling")));
        List<ScalingPoint> points =
                ScalingPoint.parseList(flags.text("--points").orElse(DEFAULT_POINTS));
        Path root = ProjectDirectory.root();
        ScalingReport report = new ScalingReport();
        List<Check> checks = new ArrayList<>();
        String loadAtStart = FreshProcessRun.loadAverage();
        Instant started = Instant.now();
        for (ScalingPoint point : points) {
            long preparing = System.nanoTime();
            BenchHistory cached = BenchHistory.cached(point.instances(), point.span());
            long samples = cached.history().totalSampleCount();
            Instant end = BenchHistory.START.plus(point.span());
            try (PrometheusServer prometheus = cached.serve()) {
                print(
                        "%s: %,d samples (4 metrics x %d instances x %s @ 15 s); history and Prometheus ready in"
                                + " %.1f s%s",
                        point.label(),
                        samples,
                        point.instances(),
                        point.span(),
                        (System.nanoTime() - preparing) / 1e9,
                        prometheus.reusedBlocks() ? " (blocks reused)" : "");
                for (String job : JOBS) {
                    Path out = work.resolve(point.label()).resolve(job);
                    PrometheusBenchmark.deleteRecursively(out);
                    Files.createDirectories(out.getParent());
                    Path log = work.resolve(point.label()).resolve(job + ".log");
                    String load = FreshProcessRun.loadAverage();
                    Duration serverBefore = serverCpu(prometheus);
                    FreshProcessRun.Cost cost = FreshProcessRun.measure(
                            FreshProcessRun.benchSubmit(
                                    root,
                                    PrometheusColdJob.class.getName(),
                                    PrometheusColdJob.arguments(job, prometheus.url(), end, out, samples)),
                            log);
                    double served = serverCpu(prometheus).minus(serverBefore).toNanos() / 1e9;
                    HeapPeaks.Peaks heap = HeapPeaks.parse(Files.readString(log, StandardCharsets.UTF_8))
                            .orElseThrow(() -> new IllegalStateException("The cold job printed no heap peaks: " + log));
                    ScalingReport.Entry entry = new ScalingReport.Entry(point, job, samples, cost, heap, served, load);
                    report.add(entry);
                    checks.add(new Check(job, out, samples));
                    print(
                            "%s %s: %.2f s wall, %.2f s CPU (Prometheus %.2f s), peak RSS %d MiB, old gen peak %d MiB, largest heap after"
                                    + " a GC %d MiB, %.0f CPU ns/sample",
                            point.label(),
                            job,
                            cost.wallSeconds(),
                            cost.cpuSeconds(),
                            served,
                            cost.peakRssBytes() >> 20,
                            heap.oldGenPeakBytes() >> 20,
                            heap.largestAfterGcBytes() >> 20,
                            entry.cpuNanosPerSample());
                }
            }
        }
        String loadAtEnd = FreshProcessRun.loadAverage();
        Instant ended = Instant.now();
        checkRowCounts(checks);

        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "scaling (cold, fresh process each, local[2], -Xmx%d MiB; %d cores): %s to %s UTC, load average"
                        + " (1, 5, 15 min) %s at the start, %s at the end%n",
                Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(),
                started,
                ended,
                loadAtStart,
                loadAtEnd);
        report.lines().forEach(System.out::println);
        System.out.println("CPU/sa: CPU ns per sample relative to the job's first size; marginal ns: CPU ns per sample"
                + " added over the job's first size with as many instances (flat when the cost grows linearly; -"
                + " where none were added); Prom CPU: CPU time of the Prometheus server during the job");
    }

    /** The CPU time the Prometheus server has spent so far. */
    private static Duration serverCpu(PrometheusServer prometheus) {
        return prometheus
                .processHandle()
                .orElseThrow()
                .info()
                .totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("The Prometheus server's CPU time is not readable"));
    }

    /** What one cold job left: a Delta table, or for the count-only read a file with the count. */
    private record Check(String job, Path out, long samples) {}

    /** Every job wrote every sample once (in wide layout, one row per instance and timestamp). */
    private static void checkRowCounts(List<Check> checks) {
        SparkSession spark =
                SparkSession.builder().appName("tributary-bench-scaling-check").getOrCreate();
        for (Check check : checks) {
            PrometheusColdJob.checkWritten(spark, check.job(), check.out(), check.samples());
        }
        print("checked: every job wrote or counted every sample (%d jobs)", checks.size());
        spark.stop();
    }

    private static void print(String format, Object... values) {
        System.out.printf(Locale.ROOT, "[scaling] " + format + "%n", values);
    }
}
