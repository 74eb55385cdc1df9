package io.tributary.prometheus.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The {@code timeout} option as a bound on one whole answer: every redirect hop, the headers and the body.
 * java.net.http's request timeout only covers the wait for the headers, and a read from a body whose server
 * stopped sending blocks for as long as the connection stays open; so a timer closes the body when the time is up,
 * which wakes the blocked read with an IOException.
 */
final class AnswerDeadline {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final Duration timeout;
    private final long deadlineNanos;

    AnswerDeadline(Duration timeout) {
        this.timeout = timeout;
        this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "tributary-prometheus-answer-deadline");
            thread.setDaemon(true);
            return thread;
        });
        // Almost every watch is cancelled long before it fires; cancelled ones must not pile up in the queue.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The time left for the next request of this answer (its headers). */
    Duration remaining() throws HttpTimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new HttpTimeoutException("the answer was not complete within " + describeTimeout());
        }
        return Duration.ofNanos(left);
    }

    /** Closes {@code body} at the deadline unless the returned watch is closed first. */
    Watch watch(InputStream body) {
        return new Watch(body);
    }

    private String describeTimeout() {
        return PrometheusConnection.TIMEOUT + "=" + PrometheusDuration.format(timeout);
    }

    /** One body under the deadline; closing the watch (once the body is read) cancels the timer. */
    final class Watch implements AutoCloseable {
        private final ScheduledFuture<?> expiry;
        private volatile boolean expired;

        private Watch(InputStream body) {
            long delay = Math.max(0, deadlineNanos - System.nanoTime());
            this.expiry = TIMER.schedule(
                    () -> {
                        expired = true;
                        try {
                            body.close();
                        } catch (IOException ignored) {
                            // The reader fails on its next read either way, and reports the deadline, not this.
                        }
                    },
                    delay,
                    TimeUnit.NANOSECONDS);
        }

        /**
         * What a failed read of the body means: past the deadline, the body stalled (or crawled) and was cut off
         * here, which the caller retries like any cut-off body; otherwise the failure itself.
         */
        IOException explain(IOException failure, long bytesRead) {
            if (!expired) {
                return failure;
            }
            HttpTimeoutException stalled = new HttpTimeoutException("the body stalled after " + bytesRead
                    + " bytes: the answer was not complete within " + describeTimeout());
            stalled.initCause(failure);
            return stalled;
        }

        @Override
        public void close() {
            expiry.cancel(false);
        }
    }
}
