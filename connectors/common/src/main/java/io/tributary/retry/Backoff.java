package io.tributary.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The delay before each retry: the first delay doubling with every retry up to a cap, optionally jittered, and a
 * server's {@code Retry-After} taken instead where the caller has one (up to a limit, so a task fails rather than
 * sleeping for hours). Jitter keeps the tasks of one stage from hammering a recovering server in lock step.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(10));
 * backoff.delay(0); // 100 ms, then 200, 400, ... 10 s
 * }</pre>
 *
 * <p>Delays have millisecond precision.
 */
public final class Backoff {
    private final long firstMillis;
    private final long capMillis;
    private final RandomGenerator jitter;
    private final Duration maxRetryAfter;
    private final Sleeper sleeper;

    private Backoff(long firstMillis, long capMillis, RandomGenerator jitter, Duration maxRetryAfter, Sleeper sleeper) {
        this.firstMillis = firstMillis;
        this.capMillis = capMillis;
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
        this.sleeper = sleeper;
    }

    /** {@code first}, {@code 2 * first}, {@code 4 * first}, ..., never more than {@code cap}; no jitter. */
    public static Backoff doubling(Duration first, Duration cap) {
        if (first.isNegative() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException(
                    "A backoff needs 0 <= first <= cap, not first=" + first + ", cap=" + cap);
        }
        return new Backoff(first.toMillis(), cap.toMillis(), null, Duration.ZERO, Sleeper.THREAD);
    }

    /**
     * This backoff with each delay drawn uniformly from {@code [d / 2, d]} (both ends included, whole milliseconds),
     * where {@code d} is the unjittered delay.
     */
    public Backoff withJitter(RandomGenerator random) {
        return new Backoff(firstMillis, capMillis, random, maxRetryAfter, sleeper);
    }

    /** This backoff with jitter from the calling thread's {@link ThreadLocalRandom}. */
    public Backoff withJitter() {
        return withJitter(ThreadLocalRandomSource.INSTANCE);
    }

    /** This backoff waiting what a server asks for in {@code Retry-After}, but no longer than {@code max}. */
    public Backoff honouringRetryAfter(Duration max) {
        return new Backoff(firstMillis, capMillis, jitter, max, sleeper);
    }

    /** This backoff sleeping with {@code sleeper} in {@link #sleep}. */
    public Backoff sleepingWith(Sleeper sleeper) {
        return new Backoff(firstMillis, capMillis, jitter, maxRetryAfter, sleeper);
    }

    /** The cap: no delay of its own is longer (a honoured Retry-After may be). */
    public Duration cap() {
        return Duration.ofMillis(capMillis);
    }

    /**
     * @param retry 0 for the first retry
     */
    public Duration delay(int retry) {
        if (retry < 0) {
            throw new IllegalArgumentException("retry must be 0 or more, not " + retry);
        }
        long ceiling = retry >= Long.numberOfLeadingZeros(firstMillis) - 1
                ? capMillis
                : Math.min(capMillis, firstMillis << retry);
        if (jitter == null) {
            return Duration.ofMillis(ceiling);
        }
        long half = ceiling / 2;
        return Duration.ofMillis(half + jitter.nextLong(half + 1));
    }

    /**
     * The server's {@code Retry-After} header when it has a usable one and this backoff honours it (capped at the
     * limit), else {@link #delay(int)}.
     *
     * @param retryAfter the header's value, or null
     */
    public Duration delay(int retry, String retryAfter) {
        if (maxRetryAfter.isZero()) {
            return delay(retry);
        }
        Duration requested = parseRetryAfter(retryAfter, Clock.systemUTC());
        if (requested == null) {
            return delay(retry);
        }
        return requested.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : requested;
    }

    /** Sleeps {@code duration} with this backoff's sleeper. */
    public void sleep(Duration duration) throws InterruptedException {
        sleeper.sleep(duration);
    }

    /**
     * Retry-After is either delta-seconds or an HTTP date (RFC 9110); a date in the past is zero, anything else is
     * null (ignored).
     */
    public static Duration parseRetryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(clock.instant(), at.toInstant());
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    /** The calling thread's random generator, looked up at each draw (a Backoff may be shared between threads). */
    private enum ThreadLocalRandomSource implements RandomGenerator {
        INSTANCE;

        @Override
        public long nextLong() {
            return ThreadLocalRandom.current().nextLong();
        }

        @Override
        public long nextLong(long bound) {
            return ThreadLocalRandom.current().nextLong(bound);
        }
    }
}
