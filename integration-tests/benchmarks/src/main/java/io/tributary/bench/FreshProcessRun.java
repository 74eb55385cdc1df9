package io.tributary.bench;

import io.tributary.testing.ProjectDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs one benchmark job as a fresh process, the way a user runs {@code spark-submit}, and measures the whole
 * process: wall time, CPU time (user + sys of the process and of every descendant it waited for, such as Python
 * workers) and peak RSS (of its largest process, the JVM). Jobs go through {@code dev/bench-submit}, so they get the
 * same classpath, plugin jar and JVM flags as {@code dev/spark-submit} gives every benchmark.
 *
 * <p>With {@code /usr/bin/time} installed it measures (its {@code %e %U %S %M}); without it, this JVM polls
 * {@code VmHWM} in {@code /proc/<pid>/status} of the process and its descendants and takes the CPU time from its own
 * {@code cutime}/{@code cstime} once the process has been waited for.
 *
 * <pre>{@code
 * FreshProcessRun.Cost cost = FreshProcessRun.measure(
 *     FreshProcessRun.benchSubmit(root, "io.tributary.bench.prometheus.PrometheusColdJob", List.of(...)), log);
 * }</pre>
 */
public final class FreshProcessRun {
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final long POLL_MILLIS = 20;

    private FreshProcessRun() {}

    /** What a fresh process cost; {@code method} says how it was measured. */
    public record Cost(double wallSeconds, double cpuSeconds, long peakRssBytes, String method) {
        /** {@code this} minus {@code floor}, in wall and CPU time (peak RSS is not a sum, so it is kept). */
        public Cost minus(Cost floor) {
            return new Cost(wallSeconds - floor.wallSeconds, cpuSeconds - floor.cpuSeconds, peakRssBytes, method);
        }
    }

    /** One cold job: what it is called in the figures and the arguments of its main class. */
    public record Job(String label, List<String> arguments) {}

    /**
     * The cold figures of a benchmark: its jobs, the last one the floor, each with its cost, and the machine's load
     * before and after them.
     */
    public record ColdFigures(
            String countName, long count, List<Job> jobs, List<Cost> costs, String loadBefore, String loadAfter) {
        /**
         * Prints the figures labelled {@code cold (fresh process)}: per job the count, wall and CPU time and peak RSS,
         * then each job minus the floor (its own share), then how they were measured and the load average.
         */
        public void print() {
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "%-90s %12s %9s %9s %9s%n",
                    "cold (fresh process): the whole job as spark-submit runs it",
                    countName,
                    "wall s",
                    "CPU s",
                    "peak RSS");
            for (int k = 0; k < jobs.size(); k++) {
                printCost(jobs.get(k).label(), count, costs.get(k), "");
            }
            Cost floor = costs.get(costs.size() - 1);
            for (int k = 0; k < jobs.size() - 1; k++) {
                Cost share = costs.get(k).minus(floor);
                System.out.printf(
                        Locale.ROOT,
                        "cold (fresh process) %s minus the floor: %.2f s wall, %.2f s CPU%n",
                        jobs.get(k).label(),
                        share.wallSeconds(),
                        share.cpuSeconds());
            }
            System.out.printf(
                    Locale.ROOT,
                    "cold (fresh process) measured by %s (CPU = user + sys of the process tree,"
                            + " peak RSS of its largest process); load average before %s, after %s%n",
                    floor.method(),
                    loadBefore,
                    loadAfter);
        }
    }

    /**
     * Prints one line of the cold figures: {@code cold (fresh process) LABEL}, the count, wall and CPU time, peak RSS,
     * then {@code note} (empty for none).
     */
    public static void printCost(String label, long count, Cost cost, String note) {
        System.out.printf(
                Locale.ROOT,
                "%-90s %,12d %9.2f %9.2f %5d MiB%s%n",
                "cold (fresh process) " + label,
                count,
                cost.wallSeconds(),
                cost.cpuSeconds(),
                cost.peakRssBytes() >> 20,
                note.isEmpty() ? "" : "  " + note);
    }

    /**
     * Runs {@code mainClass} once per job, each a fresh process through {@code dev/bench-submit} with the job's
     * arguments, its output in {@code logDir/cold-N.log}; the last job is the floor.
     */
    public static ColdFigures runJobs(String mainClass, List<Job> jobs, Path logDir, String countName, long count)
            throws IOException {
        Path root = ProjectDirectory.root();
        Files.createDirectories(logDir);
        String loadBefore = loadAverage();
        List<Cost> costs = new ArrayList<>();
        for (int k = 0; k < jobs.size(); k++) {
            try {
                costs.add(measure(
                        benchSubmit(root, mainClass, jobs.get(k).arguments()), logDir.resolve("cold-" + k + ".log")));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(
                        "Interrupted while running the cold job " + jobs.get(k).label(), e);
            }
        }
        return new ColdFigures(countName, count, jobs, costs, loadBefore, loadAverage());
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    public static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + ", " + fields[1] + ", " + fields[2];
    }

    /** The command that runs {@code mainClass} of the benchmarks module through {@code dev/bench-submit}. */
    public static List<String> benchSubmit(Path root, String mainClass, List<String> args) {
        List<String> command =
                new ArrayList<>(List.of(root.resolve("dev/bench-submit").toString(), mainClass));
        command.addAll(args);
        return command;
    }

    /** Runs {@code command} to its end, its output into {@code log}, measured by {@code /usr/bin/time} if installed. */
    public static Cost measure(List<String> command, Path log) throws IOException, InterruptedException {
        return Files.isExecutable(TIME) ? measureWithTime(command, log) : measureWithProc(command, log);
    }

    /** Measured by {@code /usr/bin/time -f "%e %U %S %M"}. */
    static Cost measureWithTime(List<String> command, Path log) throws IOException, InterruptedException {
        Path costFile = Files.createTempFile("tributary-cold-cost", ".txt");
        try {
            List<String> timed =
                    new ArrayList<>(List.of(TIME.toString(), "-o", costFile.toString(), "-f", "%e %U %S %M"));
            timed.addAll(command);
            Process process = start(timed, log);
            requireSuccess(process.waitFor(), command, log);
            return parseTime(Files.readString(costFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(costFile);
        }
    }

    /**
     * /usr/bin/time's last line {@code "%e %U %S %M"}: wall seconds, user seconds, system seconds, peak RSS in KiB
     * (earlier lines, such as "Command exited with non-zero status", are skipped).
     */
    static Cost parseTime(String output) {
        List<String> lines = output.strip().lines().toList();
        String[] fields = lines.isEmpty()
                ? new String[0]
                : lines.get(lines.size() - 1).trim().split("\\s+");
        if (fields.length != 4) {
            throw new IllegalStateException("Unexpected output of /usr/bin/time -f '%e %U %S %M': '" + output + "'");
        }
        return new Cost(
                Double.parseDouble(fields[0]),
                Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]),
                Long.parseLong(fields[3]) * 1024,
                "/usr/bin/time");
    }

    /** Measured from /proc: VmHWM of the process tree polled, CPU from this JVM's waited-for children. */
    static Cost measureWithProc(List<String> command, Path log) throws IOException, InterruptedException {
        double cpuBefore = ProcessCpu.exitedChildren();
        long started = System.nanoTime();
        Process process = start(command, log);
        long peakKib = 0;
        while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
            peakKib = Math.max(peakKib, largestHighWaterMarkKib(process.toHandle()));
        }
        double wall = (System.nanoTime() - started) / 1e9;
        requireSuccess(process.exitValue(), command, log);
        return new Cost(wall, ProcessCpu.exitedChildren() - cpuBefore, peakKib * 1024, "/proc");
    }

    /** The largest VmHWM (peak resident set, KiB) of the process and its live descendants. */
    private static long largestHighWaterMarkKib(ProcessHandle process) {
        long largest = 0;
        try (Stream<ProcessHandle> descendants = process.descendants()) {
            for (ProcessHandle p :
                    Stream.concat(Stream.of(process), descendants).toList()) {
                largest = Math.max(largest, highWaterMarkKib(p.pid()));
            }
        }
        return largest;
    }

    private static long highWaterMarkKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(
                            line.substring("VmHWM:".length()).replace("kB", "").trim());
                }
            }
        } catch (IOException gone) {
            // The process ended between listing and reading: its peak was seen by earlier polls.
        }
        return 0;
    }

    private static Process start(List<String> command, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void requireSuccess(int exit, List<String> command, Path log) throws IOException {
        if (exit != 0) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            throw new IllegalStateException(String.format(
                    Locale.ROOT,
                    "%s exited with code %d; the end of its log %s:%n%s",
                    String.join(" ", command),
                    exit,
                    log,
                    String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()))));
        }
    }
}
