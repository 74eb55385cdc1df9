package io.tributary.prometheus;

/** What one partition reader did, reported to the Spark UI as custom task metrics. Used by one thread at a time. */
final class PrometheusReadCounters {
  long requests;
  long bytesReceived;
  long samples;
  long retries;
  /** mode=raw: answers of type SAMPLES from a server that does not stream. */
  long unstreamedAnswers;
  /** Notes ({@code "warnings"}, {@code "infos"}) that came with range-query answers. */
  long answerWarnings;

  void add(PrometheusReadCounters other) {
    requests += other.requests;
    bytesReceived += other.bytesReceived;
    samples += other.samples;
    retries += other.retries;
    unstreamedAnswers += other.unstreamedAnswers;
    answerWarnings += other.answerWarnings;
  }
}
