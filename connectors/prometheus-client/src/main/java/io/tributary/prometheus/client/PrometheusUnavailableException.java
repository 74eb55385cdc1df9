package io.tributary.prometheus.client;

/** Prometheus could not be read after every retry (connection errors, 5xx, 429, cut-off bodies). */
public final class PrometheusUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PrometheusUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
