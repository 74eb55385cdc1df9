package io.tributary.prometheus;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Parses the {@code start} and {@code end} options: RFC 3339 ({@code 2023-01-01T00:00:00Z}), epoch seconds
 * ({@code 1672531200} or {@code 1672531200.5}), {@code now}, or {@code now-<duration>} ({@code now-6h}).
 * "Now" comes from an injected clock so that plans are reproducible in tests.
 */
final class PrometheusTime {
  private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");

  private PrometheusTime() {}

  static Instant parse(String option, String text, Clock clock) {
    String trimmed = text.trim();
    if (trimmed.equals("now")) {
      return clock.instant();
    }
    if (trimmed.startsWith("now-")) {
      return clock.instant().minus(PrometheusDuration.parse(option, trimmed.substring(4)));
    }
    if (EPOCH_SECONDS.matcher(trimmed).matches()) {
      long millis = new BigDecimal(trimmed).movePointRight(3).longValue();
      return Instant.ofEpochMilli(millis);
    }
    try {
      return OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Option '" + option + "' is not a time: '" + text
          + "'. Use RFC 3339 (2023-01-01T00:00:00Z), epoch seconds (1672531200), now, or now-<duration> (now-6h)");
    }
  }
}
