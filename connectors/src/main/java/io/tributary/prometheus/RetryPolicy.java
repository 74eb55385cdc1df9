package io.tributary.prometheus;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter, and {@code Retry-After} honoured when a server sends it. Jitter keeps the
 * tasks of one stage from hammering a recovering server in lock step.
 */
final class RetryPolicy {
  static final Duration MAX_DELAY = Duration.ofSeconds(30);
  /** A Retry-After beyond this is not waited for: the task fails rather than sleeping for hours. */
  static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);

  private final int maxRetries;
  private final Duration initialDelay;

  RetryPolicy(int maxRetries, Duration initialDelay) {
    this.maxRetries = maxRetries;
    this.initialDelay = initialDelay;
  }

  int maxRetries() {
    return maxRetries;
  }

  /**
   * @param retry 0 for the first retry
   * @param retryAfter the server's Retry-After header, or null
   */
  Duration delayBeforeRetry(int retry, String retryAfter) {
    Duration requested = parseRetryAfter(retryAfter);
    if (requested != null) {
      return requested.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : requested;
    }
    long ceiling = Math.min(MAX_DELAY.toMillis(), initialDelay.toMillis() << Math.min(retry, 20));
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  /** Retry-After is either delta-seconds or an HTTP date (RFC 9110); anything else is ignored. */
  static Duration parseRetryAfter(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    String value = header.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return until.isNegative() ? Duration.ZERO : until;
      } catch (DateTimeParseException notDate) {
        return null;
      }
    }
  }
}
