package io.tributary.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    private static final Clock AT_07_28 = Clock.fixed(Instant.parse("2015-10-21T07:28:00Z"), ZoneOffset.UTC);

    /** Draws the given offsets in turn, whatever the bound (each must be below it). */
    private static RandomGenerator drawing(long... offsets) {
        return new RandomGenerator() {
            private int next;

            @Override
            public long nextLong() {
                throw new UnsupportedOperationException();
            }

            @Override
            public long nextLong(long bound) {
                long offset = offsets[next++];
                if (offset >= bound) {
                    throw new IllegalStateException("offset " + offset + " not below bound " + bound);
                }
                return offset;
            }
        };
    }

    private static List<Long> delaysMillis(Backoff backoff, int retries) {
        List<Long> delays = new ArrayList<>();
        for (int retry = 0; retry < retries; retry++) {
            delays.add(backoff.delay(retry).toMillis());
        }
        return delays;
    }

    @Test
    void doublesFromTheFirstDelayUpToTheCap() {
        assertEquals(
                List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L),
                delaysMillis(Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(10)), 9));
    }

    @Test
    void aFirstDelayEqualToTheCapStaysThere() {
        assertEquals(
                List.of(7000L, 7000L, 7000L),
                delaysMillis(Backoff.doubling(Duration.ofSeconds(7), Duration.ofSeconds(7)), 3));
    }

    @Test
    void manyRetriesStayAtTheCapInsteadOfOverflowing() {
        Backoff backoff = Backoff.doubling(Duration.ofMillis(1), Duration.ofSeconds(30));
        assertEquals(Duration.ofSeconds(30), backoff.delay(62));
        assertEquals(Duration.ofSeconds(30), backoff.delay(63));
        assertEquals(Duration.ofSeconds(30), backoff.delay(Integer.MAX_VALUE));
        assertEquals(Duration.ofMillis(1L << 14), backoff.delay(14));
    }

    @Test
    void jitterDrawsFromHalfTheDelayToAllOfIt() {
        // 100 ms << 3 = 800 ms: half is 400, offsets 0..400 inclusive
        Backoff backoff =
                Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30)).withJitter(drawing(0, 400, 123));
        assertEquals(Duration.ofMillis(400), backoff.delay(3));
        assertEquals(Duration.ofMillis(800), backoff.delay(3));
        assertEquals(Duration.ofMillis(523), backoff.delay(3));
    }

    @Test
    void jitterOfTheCapIsFromHalfTheCap() {
        Backoff backoff =
                Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30)).withJitter(drawing(15_000));
        assertEquals(Duration.ofMillis(30_000), backoff.delay(10));
    }

    @Test
    void aSeededRandomGivesTheSameDelaysEveryTime() {
        Backoff backoff =
                Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30)).withJitter(new SplittableRandom(42));
        assertEquals(SEEDED_42, delaysMillis(backoff, 8));
    }

    private static final List<Long> SEEDED_42 = List.of(486L, 644L, 1980L, 2285L, 6092L, 10_487L, 27_408L, 19_560L);

    @ParameterizedTest(name = "Retry-After: {0} -> {1}")
    @CsvSource(
            nullValues = "null",
            value = {
                "7, PT7S",
                "' 7 ', PT7S",
                "0, PT0S",
                "-3, PT0S",
                "'Wed, 21 Oct 2015 07:30:30 GMT', PT2M30S",
                "'Wed, 21 Oct 2015 07:00:00 GMT', PT0S",
                "soon, null",
                "'', null",
                "null, null",
            })
    void retryAfterIsSecondsOrAnHttpDate(String header, String expected) {
        assertEquals(expected == null ? null : Duration.parse(expected), Backoff.parseRetryAfter(header, AT_07_28));
    }

    @Test
    void aHonouredRetryAfterReplacesTheDelayUpToItsLimit() {
        Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30))
                .withJitter(drawing(50, 60))
                .honouringRetryAfter(Duration.ofMinutes(5));
        assertEquals(Duration.ofSeconds(7), backoff.delay(0, "7"));
        assertEquals(Duration.ofMinutes(5), backoff.delay(0, "3600"));
        assertEquals(Duration.ofMillis(100), backoff.delay(0, "soon"));
        assertEquals(Duration.ofMillis(160), backoff.delay(1, null));
    }

    @Test
    void withoutHonouringRetryAfterTheHeaderIsIgnored() {
        Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30));
        assertEquals(Duration.ofMillis(200), backoff.delay(1, "7"));
    }

    @Test
    void sleepsWithTheInjectedSleeper() throws InterruptedException {
        List<Duration> slept = new ArrayList<>();
        Backoff backoff =
                Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30)).sleepingWith(slept::add);
        backoff.sleep(backoff.delay(2));
        assertEquals(List.of(Duration.ofMillis(400)), slept);
    }

    @Test
    void aCapBelowTheFirstDelayIsRefused() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class, () -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertEquals("A backoff needs 0 <= first <= cap, not first=PT2S, cap=PT1S", error.getMessage());
    }

    @Test
    void aNegativeRetryIsRefused() {
        Backoff backoff = Backoff.doubling(Duration.ofMillis(100), Duration.ofSeconds(30));
        assertEquals(
                "retry must be 0 or more, not -1",
                assertThrows(IllegalArgumentException.class, () -> backoff.delay(-1))
                        .getMessage());
        assertNull(Backoff.parseRetryAfter(" ", AT_07_28));
    }
}
