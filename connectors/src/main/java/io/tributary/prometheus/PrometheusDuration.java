package io.tributary.prometheus;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way Prometheus writes them ({@code 15s}, {@code 1h30m}, {@code 500ms}, {@code 2d}), or as a
 * plain number of seconds ({@code 15}, {@code 0.5}), which the HTTP API's {@code step} parameter also accepts.
 */
final class PrometheusDuration {
  private static final Pattern UNIT_TERM = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");
  private static final Pattern PLAIN_SECONDS = Pattern.compile("\\d+(\\.\\d{1,3})?");

  private PrometheusDuration() {}

  /**
   * @param option the option being parsed, named in the error
   * @throws IllegalArgumentException if the text is not a positive duration
   */
  static Duration parse(String option, String text) {
    String trimmed = text == null ? "" : text.trim();
    Duration duration = PLAIN_SECONDS.matcher(trimmed).matches()
        ? Duration.ofMillis(Math.round(Double.parseDouble(trimmed) * 1000))
        : parseUnitTerms(option, trimmed);
    if (duration.isZero()) {
      throw new IllegalArgumentException(
          "Option '" + option + "' must be a positive duration, got '" + text + "'");
    }
    return duration;
  }

  private static Duration parseUnitTerms(String option, String text) {
    Matcher matcher = UNIT_TERM.matcher(text);
    Duration total = Duration.ZERO;
    int position = 0;
    while (position < text.length() && matcher.find(position) && matcher.start() == position) {
      total = total.plus(unit(matcher.group(2)).multipliedBy(Long.parseLong(matcher.group(1))));
      position = matcher.end();
    }
    if (text.isEmpty() || position != text.length()) {
      throw new IllegalArgumentException("Option '" + option + "' is not a duration: '" + text
          + "'. Use Prometheus duration syntax such as 15s, 5m, 1h30m, 2d (units ms, s, m, h, d, w, y)"
          + " or a number of seconds");
    }
    return total;
  }

  private static Duration unit(String unit) {
    switch (unit) {
      case "ms": return Duration.ofMillis(1);
      case "s": return Duration.ofSeconds(1);
      case "m": return Duration.ofMinutes(1);
      case "h": return Duration.ofHours(1);
      case "d": return Duration.ofDays(1);
      case "w": return Duration.ofDays(7);
      case "y": return Duration.ofDays(365);
      default: throw new IllegalStateException("unit " + unit);
    }
  }

  /** Renders a duration in the shortest Prometheus form, e.g. {@code 1h30m} or {@code 500ms}. */
  static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
    String[] units = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis >= sizes[i]) {
        text.append(millis / sizes[i]).append(units[i]);
        millis %= sizes[i];
      }
    }
    return text.toString();
  }
}
