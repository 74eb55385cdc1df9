package io.tributary.testing.prometheus;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * A live exporter on loopback built with Prometheus' client_java 1.x ({@code prometheus-metrics-core} and its
 * HTTP server), which serves the protobuf exposition that a Prometheus with native histograms enabled scrapes:
 * the histogram {@value #HISTOGRAM}{path=...} (native buckets, schema 5, and classic ones) and the gauge
 * {@value #GAUGE}, whose values the test sets.
 */
public final class NativeHistogramExporter implements AutoCloseable {
    public static final String HISTOGRAM = "tributary_request_seconds";
    public static final String GAUGE = "tributary_temperature_celsius";

    private final Histogram histogram;
    private final Gauge gauge;
    private final HTTPServer server;

    private NativeHistogramExporter() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        histogram = Histogram.builder()
                .name(HISTOGRAM)
                .help("Request durations")
                .labelNames("path")
                .register(registry);
        gauge = Gauge.builder().name(GAUGE).help("A temperature").register(registry);
        server = HTTPServer.builder()
                .hostname("127.0.0.1")
                .port(0)
                .registry(registry)
                .buildAndStart();
    }

    public static NativeHistogramExporter start() throws IOException {
        return new NativeHistogramExporter();
    }

    /** Records one observation of {@value #HISTOGRAM} for {@code path}. */
    public void observe(String path, double seconds) {
        histogram.labelValues(path).observe(seconds);
    }

    public void setGauge(double value) {
        gauge.set(value);
    }

    /** {@code 127.0.0.1:PORT}, as a Prometheus scrape target. */
    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
