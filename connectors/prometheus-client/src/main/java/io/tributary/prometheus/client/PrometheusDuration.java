package io.tributary.prometheus.client;

import io.tributary.options.DurationSyntax;
import io.tributary.options.OptionChecks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations the way Prometheus writes them ({@code 15s}, {@code 1h30m}, {@code 500ms}, {@code 2d}), or as a
 * plain number of seconds ({@code 15}, {@code 0.5}), which the HTTP API's {@code step} parameter also accepts. As in
 * Prometheus, each unit appears at most once and largest first ({@code y w d h m s ms}): {@code 1h1h} or
 * {@code 30m1h} is refused, not added up.
 */
public final class PrometheusDuration implements DurationSyntax {
    public static final PrometheusDuration SYNTAX = new PrometheusDuration();

    /** Prometheus' own duration pattern (model.ParseDuration), without its bare {@code 0}. */
    private static final Pattern UNIT_TERMS =
            Pattern.compile("(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");

    private static final long[] UNIT_MILLIS = {
        365 * 86_400_000L, 7 * 86_400_000L, 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L
    };
    private static final Pattern PLAIN_SECONDS = Pattern.compile("\\d+(\\.\\d{1,3})?");

    /** The shortest duration any option takes. */
    public static final Duration MIN = Duration.ofMillis(1);
    /** The longest step, partitionDuration, lateness or maxBatchDuration: a year, Prometheus' {@code 1y}. */
    public static final Duration MAX_PLAN_DURATION = Duration.ofDays(365);

    private PrometheusDuration() {}

    /**
     * @param option the option being parsed, named in the error
     * @throws IllegalArgumentException naming the option if the text is not a duration from {@code min} to
     *     {@code max}
     */
    public static Duration parse(String option, String text, Duration min, Duration max) {
        return OptionChecks.duration(option, text, SYNTAX, min, max);
    }

    @Override
    public BigInteger millis(String text) {
        if (PLAIN_SECONDS.matcher(text).matches()) {
            return new BigDecimal(text).movePointRight(3).toBigIntegerExact();
        }
        Matcher matcher = UNIT_TERMS.matcher(text);
        if (text.isEmpty() || !matcher.matches()) {
            return null;
        }
        BigInteger total = BigInteger.ZERO;
        for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
            String amount = matcher.group(unit + 1);
            if (amount != null) {
                total = total.add(new BigInteger(amount).multiply(BigInteger.valueOf(UNIT_MILLIS[unit])));
            }
        }
        return total;
    }

    @Override
    public String description() {
        return "a Prometheus duration (units y w d h m s ms, each at most once, largest first: 15s, 1h30m, 2d)"
                + " or a number of seconds";
    }

    @Override
    public String render(Duration duration) {
        return format(duration.toMillis());
    }

    /** Renders a duration in the shortest Prometheus form, e.g. {@code 1h30m} or {@code 500ms}. */
    public static String format(Duration duration) {
        return format(duration.toMillis());
    }

    private static String format(long millis) {
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
