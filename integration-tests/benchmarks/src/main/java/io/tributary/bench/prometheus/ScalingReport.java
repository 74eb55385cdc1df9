package io.tributary.bench.prometheus;

import io.tributary.bench.FreshProcessRun;
import io.tributary.bench.HeapPeaks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of the scaling run: per size and cold job, the whole process's wall and CPU time and peak RSS, the
 * job's own heap peaks, and the cost per sample, with each job's CPU per sample relative to its first size. A
 * fresh process spends seconds of CPU before it reads anything (JVM, session, Delta), so the cost per sample falls
 * as the read grows; the marginal cost (the CPU added over the job's first size with as many instances, per sample
 * added) is what stays flat when the cost grows linearly.
 */
final class ScalingReport {
    /**
     * One cold job at one size: its cost, its heap peaks, the CPU time Prometheus spent meanwhile (answering it) and
     * the load average (1, 5, 15 min) when it started.
     */
    record Entry(
            ScalingPoint point,
            String job,
            long samples,
            FreshProcessRun.Cost cost,
            HeapPeaks.Peaks heap,
            double prometheusCpuSeconds,
            String load) {
        double cpuNanosPerSample() {
            return cost.cpuSeconds() * 1e9 / samples;
        }

        double wallNanosPerSample() {
            return cost.wallSeconds() * 1e9 / samples;
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(Entry entry) {
        entries.add(entry);
    }

    /** The table, one line per entry in the order they ran. */
    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "%-12s %-11s %12s %8s %8s %8s %9s %9s %9s %10s %10s %7s %11s  %s",
                "size",
                "job",
                "samples",
                "wall s",
                "CPU s",
                "Prom CPU",
                "peak RSS",
                "old gen",
                "after GC",
                "CPU ns/sa",
                "wall ns/sa",
                "CPU/sa",
                "marginal ns",
                "load before"));
        Map<String, Entry> firstOfJob = new HashMap<>();
        Map<String, Entry> firstOfJobAndInstances = new HashMap<>();
        for (Entry entry : entries) {
            Entry first = firstOfJob.computeIfAbsent(entry.job(), job -> entry);
            Entry sameSeries = firstOfJobAndInstances.computeIfAbsent(
                    entry.job() + "/" + entry.point().instances(), key -> entry);
            long addedSamples = entry.samples() - sameSeries.samples();
            String marginal = addedSamples > 0
                    ? String.format(
                            Locale.ROOT,
                            "%.0f",
                            (entry.cost().cpuSeconds() - sameSeries.cost().cpuSeconds()) * 1e9 / addedSamples)
                    : "-";
            lines.add(String.format(
                    Locale.ROOT,
                    "%-12s %-11s %,12d %8.2f %8.2f %8.2f %5d MiB %5d MiB %5d MiB %10.0f %10.0f %6.2fx %11s  %s",
                    entry.point().label(),
                    entry.job(),
                    entry.samples(),
                    entry.cost().wallSeconds(),
                    entry.cost().cpuSeconds(),
                    entry.prometheusCpuSeconds(),
                    entry.cost().peakRssBytes() >> 20,
                    entry.heap().oldGenPeakBytes() >> 20,
                    entry.heap().largestAfterGcBytes() >> 20,
                    entry.cpuNanosPerSample(),
                    entry.wallNanosPerSample(),
                    entry.cpuNanosPerSample() / first.cpuNanosPerSample(),
                    marginal,
                    entry.load()));
        }
        return lines;
    }
}
