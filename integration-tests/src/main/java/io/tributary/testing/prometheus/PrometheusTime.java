package io.tributary.testing.prometheus;

import java.time.Duration;
import java.time.Instant;

/**
 * Prometheus' text form of times: seconds since the epoch with at most millisecond precision, as both the HTTP API
 * ({@code start=}, {@code end=}, {@code step=}) and the OpenMetrics exposition format expect.
 *
 * <p>Example: {@code PrometheusTime.seconds(1_700_000_000_250L)} is {@code "1700000000.25"}.
 */
public final class PrometheusTime {
    private PrometheusTime() {}

    /** Epoch milliseconds as seconds: an integer when whole, else up to three decimals without trailing zeros. */
    public static String seconds(long epochMillis) {
        if (epochMillis < 0) {
            return "-" + seconds(-epochMillis);
        }
        long whole = epochMillis / 1000;
        int millis = (int) (epochMillis % 1000);
        if (millis == 0) {
            return Long.toString(whole);
        }
        String fraction = String.format("%03d", millis);
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + fraction.substring(0, end);
    }

    public static String seconds(Instant instant) {
        return seconds(instant.toEpochMilli());
    }

    /** A duration as seconds, the form {@code step=} accepts. */
    public static String seconds(Duration duration) {
        return seconds(duration.toMillis());
    }

    /**
     * Requires that {@code value} is a whole number of milliseconds, the resolution Prometheus stores; finer
     * values would be silently rounded by the server and break exact expectations.
     */
    static void requireMillisecondPrecision(String field, Instant value) {
        if (value.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    field + " must be a whole number of milliseconds (Prometheus' resolution)," + " got " + value);
        }
    }

    static void requireMillisecondPrecision(String field, Duration value) {
        if (value.getNano() % 1_000_000 != 0) {
            throw new IllegalArgumentException(
                    field + " must be a whole number of milliseconds (Prometheus' resolution)," + " got " + value);
        }
    }
}
