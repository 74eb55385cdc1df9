package io.tributary.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU seconds used so far by this JVM and by its child processes: the live ones (Tributary's Python workers) and
 * the ones that exited and were waited for (the script transformation's {@code bash} and {@code python3}, whose
 * time Linux adds to this process's {@code cutime}/{@code cstime}). Differences of two samples are exact even when
 * a child exits in between: its time leaves the live sum and enters the waited-for one.
 */
public record ProcessCpu(double jvm, double children) {
    /** Linux's USER_HZ, the unit of /proc's times, is 100 on every architecture Spark runs on. */
    private static final double TICKS_PER_SECOND = 100;

    public static ProcessCpu now() {
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
        double live = ProcessHandle.current()
                .descendants()
                .mapToDouble(
                        p -> p.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9)
                .sum();
        return new ProcessCpu(jvm, live + exitedChildren());
    }

    public ProcessCpu minus(ProcessCpu earlier) {
        return new ProcessCpu(jvm - earlier.jvm, children - earlier.children);
    }

    /**
     * CPU seconds of this JVM's child processes that exited and were waited for, with their own waited-for
     * descendants: fields 16 and 17 of /proc/self/stat (cutime, cstime), counted after the command name's closing
     * parenthesis.
     */
    public static double exitedChildren() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(
                    "Cannot read the CPU time of exited child processes from "
                            + "/proc/self/stat; this benchmark needs Linux",
                    e);
        }
    }
}
