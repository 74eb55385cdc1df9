package io.tributary.testing.prometheus;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live exporter on loopback (simpleclient's HTTP server) whose values change with every scrape, so that a
 * stream's windows each hold different values: the n-th scrape serves {@code tributary_stream_scrapes{source="a"}
 * = n}, {@code {source="b"} = 2n} and {@code tributary_stream_half{source="a"} = n/2}.
 */
public final class ScrapeCountingExporter implements AutoCloseable {
    public static final String SCRAPES = "tributary_stream_scrapes";
    public static final String HALF = "tributary_stream_half";

    private final AtomicLong scrapes = new AtomicLong();
    private final HTTPServer server;

    private ScrapeCountingExporter() throws IOException {
        CollectorRegistry registry = new CollectorRegistry();
        new Collector() {
            @Override
            public List<MetricFamilySamples> collect() {
                long n = scrapes.incrementAndGet();
                GaugeMetricFamily counted = new GaugeMetricFamily(SCRAPES, "Scrapes served so far", List.of("source"));
                counted.addMetric(List.of("a"), n);
                counted.addMetric(List.of("b"), 2.0 * n);
                GaugeMetricFamily half =
                        new GaugeMetricFamily(HALF, "Half the scrapes served so far", List.of("source"));
                half.addMetric(List.of("a"), n / 2.0);
                return List.of(counted, half);
            }
        }.register(registry);
        server = new HTTPServer(new InetSocketAddress("127.0.0.1", 0), registry, true);
    }

    public static ScrapeCountingExporter start() throws IOException {
        return new ScrapeCountingExporter();
    }

    /** {@code 127.0.0.1:PORT}, as a Prometheus scrape target. */
    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    public long scrapes() {
        return scrapes.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
