package io.tributary.prometheus.client;

/**
 * Prometheus refused a query (HTTP 400 {@code bad_data}, 422 {@code execution}/{@code timeout}, or another
 * non-retryable answer). Carries the server's own message and the request, never credentials.
 */
public final class PrometheusQueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final String errorType;
    private final String serverMessage;

    public PrometheusQueryException(int httpStatus, String errorType, String serverMessage, String request) {
        super("Prometheus rejected " + request + ": HTTP " + httpStatus + (errorType == null ? "" : " " + errorType)
                + ": " + serverMessage + hint(serverMessage));
        this.httpStatus = httpStatus;
        this.errorType = errorType;
        this.serverMessage = serverMessage;
    }

    private static String hint(String message) {
        if (message.contains("too many samples")) {
            return ". Lower maxSamplesPerRequest or partitionDuration, raise step, or raise --query.max-samples";
        }
        if (message.contains("11,000 points") || message.contains("11000 points")) {
            return ". Raise step or lower partitionDuration";
        }
        if (message.contains("timeout") || message.contains("timed out")) {
            return ". Lower partitionDuration or maxSamplesPerRequest, or raise the timeout option";
        }
        return "";
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String errorType() {
        return errorType;
    }

    public String serverMessage() {
        return serverMessage;
    }

    /** True for the 422 answer that a request would load more samples than {@code --query.max-samples}. */
    public boolean isTooManySamples() {
        return httpStatus == 422 && serverMessage.contains("too many samples");
    }
}
