package io.tributary.spark;

import java.time.Duration;
import org.apache.spark.SparkConf;

/** The plugin's SQL confs, read once from the SparkConf. */
final class MetricsConf {
  static final String PORT = "spark.tributary.metrics.port";
  static final String HOST = "spark.tributary.metrics.host";
  static final String PUSH_INTERVAL = "spark.tributary.metrics.pushInterval";
  static final String DEFAULT_HOST = "0.0.0.0";
  static final long DEFAULT_PUSH_INTERVAL_MS = 10_000;

  final int port;
  final String host;
  final Duration pushInterval;

  private MetricsConf(int port, String host, Duration pushInterval) {
    this.port = port;
    this.host = host;
    this.pushInterval = pushInterval;
  }

  static MetricsConf from(SparkConf conf) {
    int port;
    String portText = conf.get(PORT, "-1").trim();
    try {
      port = Integer.parseInt(portText);
    } catch (NumberFormatException e) {
      port = -2;
    }
    if (port < -1 || port > 65535) {
      throw new IllegalArgumentException(PORT + " must be a TCP port (0 for any free port, -1 or unset for no"
          + " endpoint), got '" + portText + "'");
    }
    long pushMillis = conf.getTimeAsMs(PUSH_INTERVAL, DEFAULT_PUSH_INTERVAL_MS + "ms");
    if (pushMillis <= 0) {
      throw new IllegalArgumentException(PUSH_INTERVAL + " must be a positive duration, got " + pushMillis + "ms");
    }
    return new MetricsConf(port, conf.get(HOST, DEFAULT_HOST), Duration.ofMillis(pushMillis));
  }
}
