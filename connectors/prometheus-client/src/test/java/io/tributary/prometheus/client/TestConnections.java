package io.tributary.prometheus.client;

import io.tributary.options.OptionReader;
import java.util.HashMap;
import java.util.Map;

/** Connections built from options as the Prometheus source reads them, for the tests of the client layers. */
public final class TestConnections {
    private TestConnections() {}

    /** The least a connection needs: a url (a new, mutable map). */
    public static Map<String, String> baseOptions() {
        Map<String, String> options = new HashMap<>();
        options.put(PrometheusConnection.URL, "http://127.0.0.1:9090");
        return options;
    }

    public static PrometheusConnection fromOptions(Map<String, String> options) {
        OptionReader lookup = OptionReader.of("prometheus", options, Map.of());
        return PrometheusConnection.from(lookup, PrometheusConnection.parseUrl(lookup.get(PrometheusConnection.URL)));
    }
}
