package io.tributary.prometheus.client;

/**
 * Prometheus answered a request with success, but its answer cannot be taken as the whole data: it carries a
 * warning that it may be partial (Thanos, Mimir), or something this reader does not know how to turn into rows.
 * Not retried: the same request gets the same kind of answer. Carries the request, never credentials.
 */
public final class PrometheusAnswerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PrometheusAnswerException(String message) {
        super(message);
    }

    /** The same failure, its message prefixed with the request that got the answer. */
    public PrometheusAnswerException forRequest(String request) {
        PrometheusAnswerException withRequest = new PrometheusAnswerException(request + ": " + getMessage());
        withRequest.setStackTrace(getStackTrace());
        return withRequest;
    }
}
