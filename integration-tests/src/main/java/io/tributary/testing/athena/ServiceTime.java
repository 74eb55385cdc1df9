package io.tributary.testing.athena;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The emulator's opt-in service-time model: what the real services cost per call, charged on top of the
 * loopback fixtures' own (near zero) time, so benchmark figures reflect the services' known costs instead of
 * measuring loopback. Off ({@link #NONE}) unless a caller sets it with {@link AthenaEmulator#serviceTime}; tests
 * run at full speed.
 *
 * <p>Example: {@code athena.serviceTime(new ServiceTime(Duration.ofMillis(150), Duration.ofMillis(200)))} makes
 * every GetQueryResults page take at least 150 ms and every S3 request on the reader endpoint wait 200 ms before
 * its first byte.
 *
 * @param resultsPage the wait before each GetQueryResults answer (a page of at most 1000 rows)
 * @param s3FirstByte the wait before S3Proxy handles each request to {@link S3Server#readerEndpoint()}
 */
public record ServiceTime(Duration resultsPage, Duration s3FirstByte) {
    public static final ServiceTime NONE = new ServiceTime(Duration.ZERO, Duration.ZERO);

    public ServiceTime {
        if (resultsPage == null || resultsPage.isNegative()) {
            throw new IllegalArgumentException("resultsPage must be a non-negative duration, got " + resultsPage);
        }
        if (s3FirstByte == null || s3FirstByte.isNegative()) {
            throw new IllegalArgumentException("s3FirstByte must be a non-negative duration, got " + s3FirstByte);
        }
    }

    /**
     * Waits {@code nanos}. A modelled latency is a floor, so an interrupt does not cut it short; the interrupt flag
     * is kept for the caller.
     */
    static void elapse(long nanos) {
        boolean interrupted = false;
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
