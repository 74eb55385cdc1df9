package io.tributary.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {
    @Test
    void returnsOnTheCheckThatHolds() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        Await.until("the third check", Duration.ofMinutes(1), () -> checks.incrementAndGet() == 3);
        assertEquals(3, checks.get());
    }

    @Test
    void returnsTheFirstValueTheProbeFinds() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        String value = Await.value(
                "a value",
                Duration.ofMinutes(1),
                () -> checks.incrementAndGet() < 2 ? Optional.empty() : Optional.of("found at check " + checks.get()));
        assertEquals("found at check 2", value);
    }

    @Test
    void failsNamingWhatItWaitedFor() {
        AssertionError error = assertThrows(
                AssertionError.class,
                () -> Await.until("a first scrape of the exporter", Duration.ofMillis(50), () -> false));
        assertEquals("Timed out after 0.05 s waiting for a first scrape of the exporter", error.getMessage());
    }

    @Test
    void whatTheConditionThrowsEndsTheWaitAtOnce() {
        IllegalStateException died = new IllegalStateException("the server exited with code 1");
        AtomicInteger checks = new AtomicInteger();
        IllegalStateException thrown = assertThrows(
                IllegalStateException.class,
                () -> Await.until("the server", Duration.ofMinutes(1), () -> {
                    checks.incrementAndGet();
                    throw died;
                }));
        assertSame(died, thrown);
        assertEquals(1, checks.get());
    }
}
