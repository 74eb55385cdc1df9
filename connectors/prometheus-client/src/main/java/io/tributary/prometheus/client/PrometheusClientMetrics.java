package io.tributary.prometheus.client;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Histogram;

/**
 * The Prometheus connector's process-wide metrics, in the JVM's default simpleclient registry (Tributary's own
 * relocated copy inside the plugin jar). The plugin ships each executor's registry to the driver, which serves
 * them on {@code /metrics}.
 */
public final class PrometheusClientMetrics {
    static final Counter REQUESTS = Counter.build()
            .name("tributary_prometheus_requests_total")
            .help("HTTP requests sent to Prometheus servers, retries included")
            .register();
    static final Counter BYTES = Counter.build()
            .name("tributary_prometheus_received_bytes_total")
            .help("Bytes of Prometheus responses received")
            .register();
    static final Counter SAMPLES = Counter.build()
            .name("tributary_prometheus_samples_total")
            .help("Samples decoded from Prometheus responses")
            .register();
    static final Counter RETRIES = Counter.build()
            .name("tributary_prometheus_retries_total")
            .help("Prometheus requests retried after a connection error, 5xx, 429 or a cut-off body")
            .register();
    static final Histogram LATENCY = Histogram.build()
            .name("tributary_prometheus_request_duration_seconds")
            .help("Time from sending a Prometheus request to having decoded its answer")
            .buckets(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register();

    private PrometheusClientMetrics() {}

    /** The registry these metrics live in. */
    public static CollectorRegistry registry() {
        return CollectorRegistry.defaultRegistry;
    }

    /** Adds what one partition reader did, once, when it closes. */
    public static void recordRead(PrometheusReadCounters counters) {
        REQUESTS.inc(counters.requests);
        BYTES.inc(counters.bytesReceived);
        SAMPLES.inc(counters.samples);
        RETRIES.inc(counters.retries);
    }
}
