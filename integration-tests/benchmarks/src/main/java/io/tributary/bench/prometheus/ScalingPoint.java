package io.tributary.bench.prometheus;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One size of the scaling run: the node_memory history of {@code instances} over {@code span} at 15 s, written
 * {@code INSTANCESxSPAN} with the span in days, hours, minutes and seconds, largest unit first: {@code 50x16d},
 * {@code 500x2h24m}, {@code 5000x14m30s}.
 */
record ScalingPoint(int instances, Duration span) {
    static final Duration STEP = Duration.ofSeconds(15);
    private static final Pattern FORM = Pattern.compile("(\\d+)x(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};

    /**
     * The points of a comma-separated list.
     *
     * @throws IllegalArgumentException naming {@code --points} and the accepted form
     */
    static List<ScalingPoint> parseList(String text) {
        List<ScalingPoint> points = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            points.add(parse(item.strip()));
        }
        return points;
    }

    static ScalingPoint parse(String text) {
        Matcher matcher = FORM.matcher(text);
        if (!matcher.matches()
                || matcher.group(2) == null
                        && matcher.group(3) == null
                        && matcher.group(4) == null
                        && matcher.group(5) == null) {
            throw mistake(text, "takes INSTANCESxSPAN with SPAN in d, h, m, s, largest first (50x1d, 5000x14m30s)");
        }
        long seconds = 0;
        for (int unit = 0; unit < UNIT_SECONDS.length; unit++) {
            String value = matcher.group(unit + 2);
            if (value != null) {
                seconds += Long.parseLong(value) * UNIT_SECONDS[unit];
            }
        }
        int instances = Integer.parseInt(matcher.group(1));
        if (instances < 1 || seconds == 0 || seconds % STEP.toSeconds() != 0) {
            throw mistake(text, "needs at least 1 instance and a span of a whole number of 15 s steps, at least one");
        }
        return new ScalingPoint(instances, Duration.ofSeconds(seconds));
    }

    private static IllegalArgumentException mistake(String text, String rule) {
        return new IllegalArgumentException("--points " + rule + ", got '" + text + "'");
    }

    /** {@code 50x1d}, {@code 5000x14m30s}: the form it was written in. */
    String label() {
        StringBuilder text = new StringBuilder().append(instances).append('x');
        long seconds = span.toSeconds();
        String[] units = {"d", "h", "m", "s"};
        for (int unit = 0; unit < UNIT_SECONDS.length; unit++) {
            if (seconds >= UNIT_SECONDS[unit]) {
                text.append(seconds / UNIT_SECONDS[unit]).append(units[unit]);
                seconds %= UNIT_SECONDS[unit];
            }
        }
        return text.toString();
    }
}
