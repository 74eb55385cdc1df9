package io.tributary.athena;

import io.tributary.retry.Backoff;
import io.tributary.retry.Sleeper;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Runs one Athena API call, retrying throttling (TooManyRequestsException, ThrottlingException, HTTP 429/503)
 * with exponential backoff. Other failures surface at once: retrying a bad request only delays the error.
 */
final class AthenaCallRetrier {
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final int maxRetries;
    private final Backoff backoff;

    AthenaCallRetrier(int maxRetries, Sleeper sleeper) {
        this.maxRetries = maxRetries;
        this.backoff = Backoff.doubling(FIRST_BACKOFF, MAX_BACKOFF).sleepingWith(sleeper);
    }

    AthenaCallRetrier(int maxRetries) {
        this(maxRetries, Sleeper.THREAD);
    }

    <T> T call(String operation, Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                AthenaClientMetrics.CALLS.labels(operation).inc();
                return call.get();
            } catch (AwsServiceException e) {
                if (!isThrottling(e) || attempt >= maxRetries) {
                    if (isThrottling(e)) {
                        throw new IllegalStateException(
                                "Athena " + operation + " was still throttled after " + maxRetries
                                        + " retries (option '" + AthenaSourceOptions.MAX_RETRIES + "'): "
                                        + e.awsErrorDetails().errorMessage()
                                        + ". Lower the number of concurrent queries or raise maxRetries.",
                                e);
                    }
                    throw e;
                }
                AthenaClientMetrics.THROTTLED_RETRIES.inc();
                pause(backoff, backoff.delay(attempt));
            }
        }
    }

    /** Sleeps with {@code backoff}'s sleeper; an interrupt ends the wait with {@link AthenaInterruptedException}. */
    static void pause(Backoff backoff, Duration duration) {
        try {
            backoff.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AthenaInterruptedException();
        }
    }

    static boolean isThrottling(AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return "TooManyRequestsException".equals(code)
                || "ThrottlingException".equals(code)
                || e.isThrottlingException()
                || e.statusCode() == 429
                || e.statusCode() == 503;
    }

    /** The waiting thread was interrupted (e.g. the Spark job or notebook cell was cancelled). */
    static final class AthenaInterruptedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AthenaInterruptedException() {
            super("interrupted while waiting for Athena");
        }
    }
}
