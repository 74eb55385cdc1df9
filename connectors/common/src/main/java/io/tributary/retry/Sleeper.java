package io.tributary.retry;

import java.time.Duration;

/** Waits between attempts; injected so tests of retry logic need not wait. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** Sleeps the calling thread (to the millisecond), ending early with InterruptedException when interrupted. */
    Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());
}
