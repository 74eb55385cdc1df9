package io.tributary.spark;

import io.tributary.options.OptionChecks;
import io.tributary.options.StandardDuration;
import java.time.Duration;
import org.apache.spark.SparkConf;

/** The plugin's confs, read once from the SparkConf and checked by the sources' {@link OptionChecks}. */
final class MetricsConf {
    static final String PORT = "spark.tributary.metrics.port";
    static final String HOST = "spark.tributary.metrics.host";
    static final String PUSH_INTERVAL = "spark.tributary.metrics.pushInterval";
    static final String DEFAULT_HOST = "0.0.0.0";
    static final Duration DEFAULT_PUSH_INTERVAL = Duration.ofSeconds(10);
    static final Duration MAX_PUSH_INTERVAL = Duration.ofDays(365);

    final int port;
    final String host;
    final Duration pushInterval;

    private MetricsConf(int port, String host, Duration pushInterval) {
        this.port = port;
        this.host = host;
        this.pushInterval = pushInterval;
    }

    /** Whether the driver serves {@code /metrics}; without it, executors have nobody to send their metrics to. */
    boolean served() {
        return port >= 0;
    }

    static MetricsConf from(SparkConf conf) {
        int port = (int) OptionChecks.wholeNumber(
                PORT, conf.get(PORT, "-1"), -1, 65535, "a TCP port (0 for any free port, -1 or unset for no endpoint)");
        String pushText = conf.get(PUSH_INTERVAL, null);
        Duration pushInterval = pushText == null
                ? DEFAULT_PUSH_INTERVAL
                : OptionChecks.duration(
                        PUSH_INTERVAL, pushText, StandardDuration.SYNTAX, Duration.ofMillis(1), MAX_PUSH_INTERVAL);
        return new MetricsConf(port, conf.get(HOST, DEFAULT_HOST), pushInterval);
    }
}
