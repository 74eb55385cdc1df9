package io.tributary.bench.trino;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Runs a command as a child process and measures it whole: wall time, and, when GNU time is installed at
 * {@value #GNU_TIME}, its CPU time (user + system, of the process and the children it waited for) and peak
 * resident memory.
 */
final class TimedCommand {
    static final String GNU_TIME = "/usr/bin/time";
    /** Elapsed, user and system seconds, and peak resident set in KiB. */
    private static final String GNU_TIME_FORMAT = "%e %U %S %M";

    private TimedCommand() {}

    /** What one run of a command took; CPU and peak RSS are empty without GNU time. */
    record Usage(double wallSeconds, OptionalDouble cpuSeconds, OptionalDouble peakRssMib, String output) {}

    /**
     * Runs {@code command} in the current directory with {@code environment} added to this process's, and returns
     * its usage and combined output.
     *
     * @throws IllegalStateException with the output when the command exits with a code other than 0
     */
    static Usage run(List<String> command, Map<String, String> environment, Path scratch)
            throws IOException, InterruptedException {
        boolean gnuTime = Files.isExecutable(Path.of(GNU_TIME));
        Path usageFile = scratch.resolve("time.out");
        Files.deleteIfExists(usageFile);
        List<String> full = new ArrayList<>();
        if (gnuTime) {
            full.addAll(List.of(GNU_TIME, "-f", GNU_TIME_FORMAT, "-o", usageFile.toString()));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        double wall = (System.nanoTime() - started) / 1e9;
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with code " + exit + ":\n" + output);
        }
        if (!gnuTime) {
            return new Usage(wall, OptionalDouble.empty(), OptionalDouble.empty(), output);
        }
        double[] figures = parseGnuTime(Files.readString(usageFile, StandardCharsets.UTF_8));
        return new Usage(
                wall, OptionalDouble.of(figures[1] + figures[2]), OptionalDouble.of(figures[3] / 1024), output);
    }

    /**
     * The figures of {@value #GNU_TIME_FORMAT} from GNU time's output file: the last line (earlier lines carry
     * notes such as "Command exited with non-zero status").
     */
    static double[] parseGnuTime(String text) {
        String[] lines = text.strip().split("\n");
        String[] fields = lines[lines.length - 1].strip().split("\\s+");
        if (fields.length != 4) {
            throw new IllegalStateException(
                    "GNU time wrote '" + text.strip() + "', expected '" + GNU_TIME_FORMAT + "'");
        }
        double[] figures = new double[4];
        for (int i = 0; i < 4; i++) {
            figures[i] = Double.parseDouble(fields[i].replace(',', '.').toLowerCase(Locale.ROOT));
        }
        return figures;
    }
}
