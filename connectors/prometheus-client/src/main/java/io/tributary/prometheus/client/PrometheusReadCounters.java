package io.tributary.prometheus.client;

/** What one partition reader did, reported to the Spark UI as custom task metrics. Used by one thread at a time. */
public final class PrometheusReadCounters {
    public long requests;
    public long bytesReceived;
    public long samples;
    public long retries;
    /** mode=raw: answers of type SAMPLES from a server that does not stream. */
    public long unstreamedAnswers;
    /** Notes ({@code "warnings"}, {@code "infos"}) that came with range-query answers. */
    public long answerWarnings;

    public void add(PrometheusReadCounters other) {
        requests += other.requests;
        bytesReceived += other.bytesReceived;
        samples += other.samples;
        retries += other.retries;
        unstreamedAnswers += other.unstreamedAnswers;
        answerWarnings += other.answerWarnings;
    }
}
