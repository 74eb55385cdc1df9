package io.tributary.athena;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parsers for option values; every error names the option and says what is allowed. */
final class OptionValues {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|m|mb|g|gb)?");

  private OptionValues() {
  }

  /** "500ms", "2s", "10m", "1h"; a bare number is seconds. */
  static Duration duration(String option, String value) {
    Matcher m = match(DURATION, option, value, "a duration such as 500ms, 30s, 10m or 1h (a bare number is seconds)");
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2) == null ? "s" : m.group(2)) {
      case "ms": return Duration.ofMillis(amount);
      case "m": return Duration.ofMinutes(amount);
      case "h": return Duration.ofHours(amount);
      default: return Duration.ofSeconds(amount);
    }
  }

  /** "64m", "1g", "512k"; a bare number is bytes. */
  static long bytes(String option, String value) {
    Matcher m = match(SIZE, option, value, "a size such as 512k, 64m or 1g (a bare number is bytes)");
    long amount = Long.parseLong(m.group(1));
    switch (m.group(2) == null ? 'b' : m.group(2).charAt(0)) {
      case 'k': return amount << 10;
      case 'm': return amount << 20;
      case 'g': return amount << 30;
      default: return amount;
    }
  }

  private static Matcher match(Pattern pattern, String option, String value, String allowed) {
    Matcher m = pattern.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("Option '" + option + "' must be " + allowed + ", got '" + value + "'");
    }
    return m;
  }

  static boolean bool(String option, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default:
        throw new IllegalArgumentException("Option '" + option + "' must be true or false, got '" + value + "'");
    }
  }

  static int intInRange(String option, String value, int min, int max) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed range
    }
    throw new IllegalArgumentException(
        "Option '" + option + "' must be a whole number from " + min + " to " + max + ", got '" + value + "'");
  }
}
