package io.tributary.options;

import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The checks every option value goes through, with one message shape:
 * {@code Option '<name>' must be <what is allowed>, got '<value>'}. Values are parsed exactly (as big numbers) and
 * then compared with their bounds, so an oversized value is refused by name instead of overflowing.
 */
public final class OptionChecks {
  private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");

  private OptionChecks() {}

  /** The one shape of an option error. */
  public static IllegalArgumentException invalid(String option, String allowed, String got) {
    return new IllegalArgumentException("Option '" + option + "' must be " + allowed + ", got '" + got + "'");
  }

  /** A whole number from {@code min} to {@code max}, both included. */
  public static long wholeNumber(String option, String text, long min, long max) {
    String trimmed = text.trim();
    if (WHOLE_NUMBER.matcher(trimmed).matches()) {
      BigInteger value = new BigInteger(trimmed);
      if (within(value, min, max)) {
        return value.longValueExact();
      }
    }
    throw invalid(option, "a whole number from " + min + " to " + max, text);
  }

  /** A duration in {@code syntax} from {@code min} to {@code max}, both included. */
  public static Duration duration(String option, String text, DurationSyntax syntax, Duration min, Duration max) {
    BigInteger millis = syntax.millis(text.trim());
    if (millis != null && within(millis, min.toMillis(), max.toMillis())) {
      return Duration.ofMillis(millis.longValueExact());
    }
    throw invalid(option, syntax.description() + ", from " + syntax.render(min) + " to " + syntax.render(max), text);
  }

  /**
   * A quantity already parsed exactly by the caller's syntax (null: not in the syntax), from {@code min} to
   * {@code max}.
   *
   * @param allowed what the syntax and bounds are, for the message
   */
  public static long quantity(String option, String text, BigInteger parsed, long min, long max, String allowed) {
    if (parsed != null && within(parsed, min, max)) {
      return parsed.longValueExact();
    }
    throw invalid(option, allowed, text);
  }

  public static boolean bool(String option, String text) {
    switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true": return true;
      case "false": return false;
      default: throw invalid(option, "true or false", text);
    }
  }

  private static boolean within(BigInteger value, long min, long max) {
    return value.compareTo(BigInteger.valueOf(min)) >= 0 && value.compareTo(BigInteger.valueOf(max)) <= 0;
  }
}
