package io.tributary.options;

import java.math.BigInteger;
import java.time.Duration;

/**
 * How one source writes durations. Parsing yields exact milliseconds, unbounded, so that a value too large for a
 * {@link Duration} or a {@code long} is reported as out of range instead of wrapping around or saturating.
 */
public interface DurationSyntax {
    /** The text's duration in milliseconds, or null when the text is not written in this syntax. */
    BigInteger millis(String text);

    /** The syntax, for messages: {@code "a duration such as 500ms, 30s, 10m or 1h (a bare number is seconds)"}. */
    String description();

    /** A duration as this syntax writes it, for the bounds named in messages. */
    String render(Duration duration);
}
