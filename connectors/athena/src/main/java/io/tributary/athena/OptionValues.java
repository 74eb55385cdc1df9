package io.tributary.athena;

import io.tributary.options.DurationSyntax;
import io.tributary.options.OptionChecks;
import io.tributary.options.OptionReader;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Athena's notations for option values: durations ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}) and sizes
 * ({@code 512k}, {@code 64m}, {@code 1g}); a bare number is seconds or bytes. Parsed exactly, so that an oversized
 * value is refused by name (through {@link OptionChecks}) instead of overflowing.
 */
final class OptionValues {
  static final DurationSyntax DURATION = new AthenaDuration();

  private static final Pattern DURATION_TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");
  private static final Pattern SIZE_TEXT = Pattern.compile("(\\d+)\\s*(b|k|kb|m|mb|g|gb)?");

  private OptionValues() {
  }

  /** A size option: {@code 512k}, {@code 64m}, {@code 1g}, or a number of bytes, from {@code min} to {@code max}. */
  static long bytes(OptionReader lookup, String option, long defaultValue, long min, long max) {
    return lookup.get(option, defaultValue, (name, text) -> {
      Matcher m = SIZE_TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
      BigInteger bytes = null;
      if (m.matches()) {
        int shift = m.group(2) == null ? 0 : "bkmg".indexOf(m.group(2).charAt(0)) * 10;
        bytes = new BigInteger(m.group(1)).shiftLeft(shift);
      }
      return OptionChecks.quantity(name, text, bytes, min, max, "a size such as 512k, 64m or 1g (a bare number is"
          + " bytes), from " + size(min) + " to " + size(max));
    });
  }

  /** A size in the largest unit that writes it whole: {@code 1k}, {@code 16g}. */
  private static String size(long bytes) {
    for (int shift = 30; shift > 0; shift -= 10) {
      if (bytes % (1L << shift) == 0) {
        return (bytes >> shift) + "kmg".substring(shift / 10 - 1, shift / 10);
      }
    }
    return Long.toString(bytes);
  }

  /** {@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}; a bare number is seconds. */
  private static final class AthenaDuration implements DurationSyntax {
    private static final long[] UNIT_MILLIS = {1L, 1_000L, 60_000L, 3_600_000L};
    private static final String[] UNITS = {"ms", "s", "m", "h"};

    @Override
    public BigInteger millis(String text) {
      Matcher m = DURATION_TEXT.matcher(text.toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        return null;
      }
      int unit = m.group(2) == null ? 1 : java.util.Arrays.asList(UNITS).indexOf(m.group(2));
      return new BigInteger(m.group(1)).multiply(BigInteger.valueOf(UNIT_MILLIS[unit]));
    }

    @Override
    public String description() {
      return "a duration such as 500ms, 30s, 10m or 1h (a bare number is seconds)";
    }

    @Override
    public String render(Duration duration) {
      long millis = duration.toMillis();
      for (int unit = UNITS.length - 1; unit > 0; unit--) {
        if (millis % UNIT_MILLIS[unit] == 0) {
          return millis / UNIT_MILLIS[unit] + UNITS[unit];
        }
      }
      return millis + "ms";
    }
  }
}
