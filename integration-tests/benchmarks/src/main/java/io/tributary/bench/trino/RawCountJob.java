package io.tributary.bench.trino;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The cold side of the Trino comparison: a Spark application that counts the raw samples of the benchmark's
 * metrics ({@code format("prometheus")}, {@code mode=raw}) once and exits, run by {@link TrinoPeerBenchmark} as a
 * fresh {@code dev/spark-submit} process. Prints one line, {@code [cold] samples=N session=S count=C}: the samples,
 * the seconds from the JVM's start to a ready SparkSession, and the seconds of the count.
 *
 * <p>Arguments: {@code URL METRICS START END} (METRICS comma-separated, START and END ISO-8601, both included).
 */
public final class RawCountJob {
    private RawCountJob() {}

    public static void main(String[] args) {
        if (args.length != 4) {
            throw new IllegalArgumentException(
                    "RawCountJob takes URL METRICS START END, got " + args.length + " arguments");
        }
        SparkSession spark =
                SparkSession.builder().appName("tributary-bench-trino-cold").getOrCreate();
        double session = (System.currentTimeMillis()
                        - ManagementFactory.getRuntimeMXBean().getStartTime())
                / 1e3;
        long started = System.nanoTime();
        long samples = spark.read()
                .format("prometheus")
                .option("url", args[0])
                .option("metrics", args[1])
                .option("start", args[2])
                .option("end", args[3])
                .option("mode", "raw")
                .load()
                .count();
        double count = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "[cold] samples=%d session=%.3f count=%.3f%n", samples, session, count);
        spark.stop();
    }
}
