package io.tributary.prometheus;

/** What one partition reader did, reported to the Spark UI as custom task metrics. Used by one thread. */
final class PrometheusReadCounters {
  long requests;
  long bytesReceived;
  long samples;
  long retries;
}
