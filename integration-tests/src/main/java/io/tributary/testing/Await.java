package io.tributary.testing;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Waits for a condition instead of sleeping a fixed time: checks it at once, then at growing intervals (10 ms up to
 * 200 ms) until it holds or {@code timeout} has passed, and then fails naming what it waited for.
 *
 * <pre>{@code
 * Await.until("a first scrape of the exporter", Duration.ofSeconds(30), () -> exporter.scrapes() > 0);
 * }</pre>
 */
public final class Await {
    private static final long FIRST_PAUSE_MILLIS = 10;
    private static final long LONGEST_PAUSE_MILLIS = 200;

    private Await() {}

    /** A condition to wait for; it may throw to stop the wait at once (a process that died, a failed query). */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** A value to wait for: empty until it is there. */
    @FunctionalInterface
    public interface Probe<T> {
        Optional<T> look() throws Exception;
    }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @throws AssertionError "Timed out after 30 s waiting for DESCRIPTION" when it did not hold within {@code timeout}
     * @throws Exception what the condition threw, at once
     */
    public static void until(String description, Duration timeout, Condition condition) throws Exception {
        value(description, timeout, () -> condition.holds() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * The probe's first present value.
     *
     * @throws AssertionError "Timed out after 30 s waiting for DESCRIPTION" when none came within {@code timeout}
     * @throws Exception what the probe threw, at once
     */
    public static <T> T value(String description, Duration timeout, Probe<T> probe) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            Optional<T> value = probe.look();
            if (value.isPresent()) {
                return value.get();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(String.format(
                        Locale.ROOT, "Timed out after %s s waiting for %s", seconds(timeout), description));
            }
            Thread.sleep(Math.max(1, Math.min(pause, left / 1_000_000)));
            pause = Math.min(pause * 2, LONGEST_PAUSE_MILLIS);
        }
    }

    private static String seconds(Duration timeout) {
        return java.math.BigDecimal.valueOf(timeout.toMillis(), 3)
                .stripTrailingZeros()
                .toPlainString();
    }
}
