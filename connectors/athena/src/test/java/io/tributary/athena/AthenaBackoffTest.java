package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The waits between throttled Athena calls and between polls of a running query. */
class AthenaBackoffTest {
    private static AwsServiceException throttled() {
        return AwsServiceException.builder()
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ThrottlingException")
                        .errorMessage("Rate exceeded")
                        .build())
                .build();
    }

    @Test
    void throttledCallsWaitFrom100MillisDoublingUpTo10Seconds() {
        List<Duration> slept = new ArrayList<>();
        AthenaCallRetrier retrier = new AthenaCallRetrier(9, slept::add);
        int[] calls = {0};
        String answer = retrier.call("GetQueryExecution", () -> {
            if (calls[0]++ < 9) {
                throw throttled();
            }
            return "done";
        });
        assertEquals("done", answer);
        assertEquals(
                List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L),
                slept.stream().map(Duration::toMillis).toList());
    }

    @Test
    void throttlingBeyondMaxRetriesFailsNamingTheOption() {
        List<Duration> slept = new ArrayList<>();
        AthenaCallRetrier retrier = new AthenaCallRetrier(2, slept::add);
        IllegalStateException error = assertThrows(
                IllegalStateException.class,
                () -> retrier.call("StartQueryExecution", () -> {
                    throw throttled();
                }));
        assertEquals(
                "Athena StartQueryExecution was still throttled after 2 retries (option 'maxRetries'): Rate exceeded."
                        + " Lower the number of concurrent queries or raise maxRetries.",
                error.getMessage());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), slept);
    }

    @Test
    void anInterruptedWaitFailsAsInterruptedAndKeepsTheFlag() {
        AthenaCallRetrier retrier = new AthenaCallRetrier(3, duration -> {
            throw new InterruptedException();
        });
        assertThrows(
                AthenaCallRetrier.AthenaInterruptedException.class,
                () -> retrier.call("GetQueryExecution", () -> {
                    throw throttled();
                }));
        assertEquals(true, Thread.interrupted());
    }

    @Test
    void pollingSlowsFromPollIntervalDoublingUpTo5Seconds() {
        Backoff polling = AthenaQueryRunner.pollingBackoff(Duration.ofMillis(500));
        List<Long> delays = new ArrayList<>();
        for (int poll = 0; poll < 6; poll++) {
            delays.add(polling.delay(poll).toMillis());
        }
        assertEquals(List.of(500L, 1000L, 2000L, 4000L, 5000L, 5000L), delays);
    }

    @Test
    void aPollIntervalAbove5SecondsStaysAsGiven() {
        Backoff polling = AthenaQueryRunner.pollingBackoff(Duration.ofSeconds(7));
        assertEquals(
                List.of(Duration.ofSeconds(7), Duration.ofSeconds(7)), List.of(polling.delay(0), polling.delay(1)));
    }
}
