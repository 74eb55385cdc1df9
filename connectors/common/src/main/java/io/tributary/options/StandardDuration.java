package io.tributary.options;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration notation of every Tributary setting that is not a Prometheus duration: {@code 500ms}, {@code 30s},
 * {@code 10m} (or {@code 10min}), {@code 1h}, {@code 1d}, the units of Spark's own time confs; a bare number is
 * seconds. Parsed exactly, so that an oversized value is refused by name instead of saturating as Spark's parser
 * does.
 */
public final class StandardDuration implements DurationSyntax {
    public static final StandardDuration SYNTAX = new StandardDuration();

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|min|h|d)?");
    private static final List<String> UNITS = List.of("ms", "s", "m", "h", "d");
    private static final long[] UNIT_MILLIS = {1L, 1_000L, 60_000L, 3_600_000L, 86_400_000L};

    private StandardDuration() {}

    @Override
    public BigInteger millis(String text) {
        Matcher m = TEXT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        String unit = m.group(2) == null ? "s" : m.group(2).equals("min") ? "m" : m.group(2);
        return new BigInteger(m.group(1)).multiply(BigInteger.valueOf(UNIT_MILLIS[UNITS.indexOf(unit)]));
    }

    @Override
    public String description() {
        return "a duration such as 500ms, 30s, 10m, 1h or 1d (a bare number is seconds)";
    }

    /** In the largest unit that writes it whole: {@code 1d}, {@code 90s}; zero is {@code 0}. */
    @Override
    public String render(Duration duration) {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0";
        }
        for (int unit = UNITS.size() - 1; unit > 0; unit--) {
            if (millis % UNIT_MILLIS[unit] == 0) {
                return millis / UNIT_MILLIS[unit] + UNITS.get(unit);
            }
        }
        return millis + "ms";
    }
}
