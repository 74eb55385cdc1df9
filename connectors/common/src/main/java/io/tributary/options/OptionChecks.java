package io.tributary.options;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checks every option value goes through, with one message shape:
 * {@code Option '<name>' must be <what is allowed>, got '<value>'} ({@code Conf 'spark.<...>'} for a setting named by
 * its full conf key). Values are parsed exactly (as big numbers) and then compared with their bounds, so an
 * oversized value is refused by name instead of overflowing.
 */
public final class OptionChecks {
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?\\d+");
    /** Spark's size units ({@code spark.*.maxSize=64m}); a bare number is bytes. */
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|k|kb|m|mb|g|gb|t|tb|p|pb)?");

    private static final String SIZE_UNITS = "bkmgtp";

    private OptionChecks() {}

    /** The one shape of an option error. */
    public static IllegalArgumentException invalid(String option, String allowed, String got) {
        return new IllegalArgumentException(subject(option) + " must be " + allowed + ", got '" + got + "'");
    }

    /**
     * How messages name a setting: {@code Option 'step'}, or {@code Conf 'spark.tributary.flight.port'} for one
     * named by its full conf key (a setting that is only a conf).
     */
    public static String subject(String option) {
        return (option.startsWith("spark.") ? "Conf '" : "Option '") + option + "'";
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    public static long wholeNumber(String option, String text, long min, long max) {
        return wholeNumber(option, text, min, max, "a whole number from " + min + " to " + max);
    }

    /** A whole number from {@code min} to {@code max}; {@code allowed} says what it is, for the message. */
    public static long wholeNumber(String option, String text, long min, long max, String allowed) {
        String trimmed = text.trim();
        BigInteger value = WHOLE_NUMBER.matcher(trimmed).matches() ? new BigInteger(trimmed) : null;
        return quantity(option, text, value, min, max, allowed);
    }

    /**
     * A number of bytes from {@code min} to {@code max}, written with Spark's size units: {@code 512k}, {@code 64m},
     * {@code 1g}; a bare number is bytes.
     */
    public static long bytes(String option, String text, long min, long max) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        BigInteger bytes = null;
        if (m.matches()) {
            int shift = m.group(2) == null ? 0 : SIZE_UNITS.indexOf(m.group(2).charAt(0)) * 10;
            bytes = new BigInteger(m.group(1)).shiftLeft(shift);
        }
        return quantity(
                option,
                text,
                bytes,
                min,
                max,
                "a size such as 512k, 64m or 1g (a bare number is bytes), from " + size(min) + " to " + size(max));
    }

    /** A size in the largest unit that writes it whole: {@code 1k}, {@code 16g}. */
    static String size(long bytes) {
        for (int shift = 50; shift > 0 && bytes != 0; shift -= 10) {
            if (bytes % (1L << shift) == 0) {
                return (bytes >> shift) + SIZE_UNITS.substring(shift / 10, shift / 10 + 1);
            }
        }
        return Long.toString(bytes);
    }

    /**
     * The constant of {@code type} whose name is the text in any case; the message lists the constants in lower case,
     * as they are written.
     */
    public static <E extends Enum<E>> E oneOf(String option, String text, Class<E> type) {
        for (E choice : type.getEnumConstants()) {
            if (choice.name().equalsIgnoreCase(text.trim())) {
                return choice;
            }
        }
        throw invalid(
                option,
                "one of "
                        + Arrays.stream(type.getEnumConstants())
                                .map(choice -> choice.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", ")),
                text);
    }

    /** A duration in {@code syntax} from {@code min} to {@code max}, both included. */
    public static Duration duration(String option, String text, DurationSyntax syntax, Duration min, Duration max) {
        BigInteger millis = syntax.millis(text.trim());
        if (millis != null && within(millis, min.toMillis(), max.toMillis())) {
            return Duration.ofMillis(millis.longValueExact());
        }
        throw invalid(
                option, syntax.description() + ", from " + syntax.render(min) + " to " + syntax.render(max), text);
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
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw invalid(option, "true or false", text);
        }
    }

    private static boolean within(BigInteger value, long min, long max) {
        return value.compareTo(BigInteger.valueOf(min)) >= 0 && value.compareTo(BigInteger.valueOf(max)) <= 0;
    }
}
