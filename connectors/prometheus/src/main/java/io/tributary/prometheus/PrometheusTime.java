package io.tributary.prometheus;

import io.tributary.options.OptionChecks;
import io.tributary.prometheus.client.PrometheusDuration;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses the {@code start} and {@code end} options: RFC 3339 ({@code 2023-01-01T00:00:00Z}), epoch seconds
 * ({@code 1672531200} or {@code 1672531200.5}), {@code now}, or {@code now-<duration>} ({@code now-6h}).
 * "Now" comes from an injected clock so that plans are reproducible in tests. Times must lie from
 * {@link #MIN} to {@link #MAX}: Prometheus keeps samples as milliseconds since 1970, and a time outside that span
 * is a typo (or an overflowed number), not a range anyone stores.
 */
final class PrometheusTime {
    static final Instant MIN = Instant.EPOCH;
    static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");
    static final String ALLOWED = "RFC 3339 (2023-01-01T00:00:00Z), epoch seconds (1672531200), now, or"
            + " now-<duration> (now-6h), from " + MIN + " to " + MAX;

    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final BigDecimal MAX_MILLIS = BigDecimal.valueOf(MAX.toEpochMilli());

    private PrometheusTime() {}

    /** @throws IllegalArgumentException naming the option when the text is no time, or one out of range */
    static Instant parse(String option, String text, Clock clock) {
        Instant time = toInstant(text.trim(), clock);
        if (time == null || time.isBefore(MIN) || time.isAfter(MAX)) {
            throw OptionChecks.invalid(option, ALLOWED, text);
        }
        return time;
    }

    /** The time, or null when the text is none; may lie out of range (checked by the caller), never wraps. */
    private static Instant toInstant(String text, Clock clock) {
        if (text.equals("now")) {
            return clock.instant();
        }
        if (text.startsWith("now-")) {
            BigInteger ago = PrometheusDuration.SYNTAX.millis(text.substring(4));
            if (ago == null || ago.signum() == 0) {
                return null;
            }
            return ago.compareTo(MAX_MILLIS.toBigInteger()) > 0
                    ? MIN.minusMillis(1)
                    : clock.instant().minusMillis(ago.longValueExact());
        }
        if (EPOCH_SECONDS.matcher(text).matches()) {
            BigDecimal millis = new BigDecimal(text).movePointRight(3).setScale(0, RoundingMode.FLOOR);
            return millis.compareTo(MAX_MILLIS) > 0 ? MAX.plusMillis(1) : Instant.ofEpochMilli(millis.longValueExact());
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
