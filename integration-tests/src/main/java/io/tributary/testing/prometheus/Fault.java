package io.tributary.testing.prometheus;

import java.time.Duration;
import java.util.Set;

/**
 * A failure {@link FaultInjectingProxy} applies to one request instead of (or while) forwarding it.
 *
 * <p>Example: {@code proxy.enqueue(Fault.tooManyRequests(2), 1)} answers the next request with
 * {@code 429 Too Many Requests} and {@code Retry-After: 2}.
 */
public sealed interface Fault {

    /** Answers with {@code statusCode} and {@code body} ({@code contentType}) without contacting the upstream. */
    record Status(int statusCode, String contentType, String body) implements Fault {
        public Status {
            if (statusCode < 400 || statusCode > 599) {
                throw new IllegalArgumentException(
                        "statusCode must be an error status in [400, 599], got " + statusCode);
            }
        }
    }

    /** Answers {@code 429} with {@code Retry-After: retryAfterSeconds} without contacting the upstream. */
    record TooManyRequests(long retryAfterSeconds) implements Fault {
        public TooManyRequests {
            if (retryAfterSeconds < 0) {
                throw new IllegalArgumentException("retryAfterSeconds must be >= 0, got " + retryAfterSeconds);
            }
        }
    }

    /**
     * Forwards the request, sends the upstream's status, headers (with the true Content-Length) and the first half
     * of its body, then resets the connection (TCP RST): the client sees a connection reset mid-body.
     */
    record ResetMidBody() implements Fault {}

    /**
     * Forwards the request, declares the upstream body's full Content-Length (at least 1) but sends only its first
     * half, then closes the connection normally: the client sees a premature end of the body.
     */
    record TruncatedBody() implements Fault {}

    /** Waits {@code delay}, then forwards the request normally. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative, got " + delay);
            }
        }
    }

    /**
     * Forwards the request, sends the upstream's status, headers (with the true Content-Length) and the first
     * {@code bytes} of its body (all but the last byte of a shorter body), then sends nothing more and holds the
     * connection open until the client closes it or the proxy is closed: the client sees a body that stalls.
     */
    record StallBody(int bytes) implements Fault {
        public StallBody {
            if (bytes < 0) {
                throw new IllegalArgumentException("bytes must be >= 0, got " + bytes);
            }
        }
    }

    /**
     * Answers {@code statusCode} (301, 302, 303, 307 or 308) with {@code Location: <baseUrl><path and query of the
     * request>} without contacting the upstream: {@code baseUrl} the proxy's own {@link FaultInjectingProxy#url()}
     * sends the client back to the same origin, another server's URL to another origin.
     */
    record Redirect(int statusCode, String baseUrl) implements Fault {
        public Redirect {
            if (!Set.of(301, 302, 303, 307, 308).contains(statusCode)) {
                throw new IllegalArgumentException(
                        "statusCode must be a redirect (301, 302, 303, 307 or 308), got " + statusCode);
            }
        }
    }

    /**
     * Forwards the request and rewrites a 200 JSON answer the way a partial response of Thanos or Mimir looks on the
     * wire: {@code text} is added to the top-level array {@code key} ({@code "warnings"}, or {@code "infos"} as newer
     * Prometheus versions send PromQL info annotations), and with {@code dropSecondHalf} the second half of
     * {@code data.result} (rounded up: 3 series keep 1) is removed. Numbers keep their text; other answers pass
     * unchanged.
     */
    record AnswerNote(String key, String text, boolean dropSecondHalf) implements Fault {
        public AnswerNote {
            if (!key.equals("warnings") && !key.equals("infos")) {
                throw new IllegalArgumentException("key must be warnings or infos, got '" + key + "'");
            }
        }
    }

    static Fault status(int statusCode, String body) {
        return new Status(statusCode, "text/plain; charset=utf-8", body);
    }

    /** An error in Prometheus' own JSON shape, e.g. {@code prometheusError(422, "execution", "query timed out")}. */
    static Fault prometheusError(int statusCode, String errorType, String error) {
        String body = "{\"status\":\"error\",\"errorType\":\"" + jsonEscape(errorType) + "\",\"error\":\""
                + jsonEscape(error) + "\"}";
        return new Status(statusCode, "application/json", body);
    }

    static Fault tooManyRequests(long retryAfterSeconds) {
        return new TooManyRequests(retryAfterSeconds);
    }

    static Fault resetMidBody() {
        return new ResetMidBody();
    }

    static Fault truncatedBody() {
        return new TruncatedBody();
    }

    static Fault stallBody(int bytes) {
        return new StallBody(bytes);
    }

    static Fault redirect(int statusCode, String baseUrl) {
        return new Redirect(statusCode, baseUrl);
    }

    /** A partial answer: {@code warning} under {@code "warnings"}, and the second half of the series gone. */
    static Fault partialResponse(String warning) {
        return new AnswerNote("warnings", warning, true);
    }

    /** A note that leaves the series whole, e.g. {@code answerNote("infos", "PromQL info: ...")}. */
    static Fault answerNote(String key, String text) {
        return new AnswerNote(key, text, false);
    }

    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
