package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusConnection;
import java.util.Map;

/** Connections as the source builds them from read options, for the tests of the client and remote-read layers. */
public final class TestConnections {
  private TestConnections() {}

  /** url, metrics and start: the least a read needs (a new, mutable map). */
  public static Map<String, String> baseOptions() {
    return PrometheusSourceOptionsTest.base();
  }

  public static PrometheusConnection fromOptions(Map<String, String> options) {
    return PrometheusSourceOptionsTest.parse(options).connection();
  }
}
