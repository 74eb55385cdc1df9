package io.tributary.options;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * The options of one source with Spark's precedence: the read option (names case-insensitive, as Spark treats
 * them), then the session conf {@code spark.tributary.<source>.<option>}, then the caller's default. A blank value is
 * refused, never read as "not set": a blank {@code end} silently meaning "now" is the kind of mistake this catches.
 *
 * <pre>{@code
 * OptionReader options = OptionReader.of("prometheus", readOptions, sessionConf);
 * int retries = options.getInt("maxRetries", 5, 0, 100);
 * }</pre>
 */
public final class OptionReader {
    /**
     * Options Spark adds itself: {@code load(path)} passes {@code path} (several paths as {@code paths}), and a
     * catalog table passes its location as {@code path}. A source without paths ignores them.
     */
    public static final Set<String> SPARK_OPTIONS = Set.of("path", "paths");

    private final String sessionConfPrefix;
    private final Map<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> sessionConf = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Whether values are named by their full session conf key in messages (a reader of session confs only). */
    private final boolean namedByConfKey;

    private OptionReader(String source, Map<String, String> options, Map<String, String> sessionConf) {
        this.sessionConfPrefix = "spark.tributary." + source + ".";
        this.namedByConfKey = false;
        this.options.putAll(options);
        sessionConf.forEach((key, value) -> {
            if (key.regionMatches(true, 0, sessionConfPrefix, 0, sessionConfPrefix.length())) {
                this.sessionConf.put(key.substring(sessionConfPrefix.length()), value);
            }
        });
    }

    private OptionReader(OptionReader from, boolean readOptions, boolean readSessionConf) {
        this.sessionConfPrefix = from.sessionConfPrefix;
        this.namedByConfKey = !readOptions;
        if (readOptions) {
            this.options.putAll(from.options);
        }
        if (readSessionConf) {
            this.sessionConf.putAll(from.sessionConf);
        }
    }

    /**
     * @param source the source's name in its session confs, e.g. {@code prometheus}
     * @param options the read options
     * @param sessionConf the session's confs; only {@code spark.tributary.<source>.*} entries are read
     */
    public static OptionReader of(String source, Map<String, String> options, Map<String, String> sessionConf) {
        return new OptionReader(source, options, sessionConf);
    }

    /** The same options without their session confs: for settings that are options only. */
    public OptionReader optionsOnly() {
        return new OptionReader(this, true, false);
    }

    /**
     * The same session confs without the read options: for settings that are session confs only. Values are named
     * by their full key in messages: {@code Conf 'spark.tributary.python.maxIdleWorkers' must be ...}.
     */
    public OptionReader sessionConfsOnly() {
        return new OptionReader(this, false, true);
    }

    /** Whether the option is set, as a read option or session conf (a blank value is set, and refused when read). */
    public boolean has(String option) {
        return options.containsKey(option) || sessionConf.containsKey(option);
    }

    /**
     * The value as given (not trimmed), or null when the option is not set.
     *
     * @throws IllegalArgumentException when the value is blank
     */
    public String get(String option) {
        String value = options.get(option);
        if (value == null) {
            value = sessionConf.get(option);
            if (value != null && value.isBlank()) {
                throw blank(false, option);
            }
        } else if (value.isBlank()) {
            throw blank(true, option);
        }
        return value;
    }

    private IllegalArgumentException blank(boolean readOption, String option) {
        return new IllegalArgumentException(
                readOption
                        ? "Option '" + option + "' is blank: give a value, or leave the option out"
                        : "Session conf '" + sessionConfPrefix + option + "' is blank: give a value, or unset it");
    }

    public String get(String option, String defaultValue) {
        String value = get(option);
        return value == null ? defaultValue : value;
    }

    /** The value parsed by {@code parser(option, text)}, or the default when the option is not set. */
    public <T> T get(String option, T defaultValue, BiFunction<String, String, T> parser) {
        String value = get(option);
        return value == null ? defaultValue : parser.apply(namedByConfKey ? sessionConfPrefix + option : option, value);
    }

    public boolean getBoolean(String option, boolean defaultValue) {
        return get(option, defaultValue, OptionChecks::bool);
    }

    public long getLong(String option, long defaultValue, long min, long max) {
        return get(option, defaultValue, (name, text) -> OptionChecks.wholeNumber(name, text, min, max));
    }

    public int getInt(String option, int defaultValue, int min, int max) {
        return (int) getLong(option, defaultValue, min, max);
    }

    /** A size such as {@code 64m}, as {@link OptionChecks#bytes} reads it. */
    public long getBytes(String option, long defaultValue, long min, long max) {
        return get(option, defaultValue, (name, text) -> OptionChecks.bytes(name, text, min, max));
    }

    /** A constant of {@code type} named in any case, as {@link OptionChecks#oneOf} reads it. */
    public <E extends Enum<E>> E getEnum(String option, E defaultValue, Class<E> type) {
        return get(option, defaultValue, (name, text) -> OptionChecks.oneOf(name, text, type));
    }

    public Duration getDuration(
            String option, Duration defaultValue, DurationSyntax syntax, Duration min, Duration max) {
        return get(option, defaultValue, (name, text) -> OptionChecks.duration(name, text, syntax, min, max));
    }

    /**
     * Every option whose name starts with the prefix (any case), keyed by the rest of the name as the user wrote it,
     * values as given; read options win over session confs of the same name.
     *
     * @throws IllegalArgumentException when the winning value of a name is blank
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> found = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        Map<String, String> optionOf = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map<String, String> source : java.util.List.of(sessionConf, options)) {
            source.forEach((key, value) -> {
                if (key.regionMatches(true, 0, prefix, 0, prefix.length()) && key.length() > prefix.length()) {
                    String name = key.substring(prefix.length());
                    found.remove(
                            name); // a case-insensitive map keeps the first spelling; the read option's should show
                    found.put(name, value);
                    optionOf.put(name, key);
                }
            });
        }
        found.forEach((name, value) -> {
            if (value.isBlank()) {
                String option = optionOf.get(name);
                throw blank(options.containsKey(option), option);
            }
        });
        return found;
    }

    /**
     * Refuses every read option and every session conf {@code spark.tributary.<source>.*} that is none of
     * {@code known} (any case), does not start with one of {@code openPrefixes} followed by a name, and, for read
     * options, is not one of {@link #SPARK_OPTIONS}. The message names each, suggests the closest known option where
     * one is close, and ends with {@code documentedAt}.
     *
     * @throws IllegalArgumentException naming the unknown options
     */
    public void refuseUnknown(Collection<String> known, Collection<String> openPrefixes, String documentedAt) {
        Names names = new Names(known, openPrefixes);
        refuseUnknown(names, names, documentedAt, true);
    }

    /**
     * The names a source takes: {@code known} ones, and any name after one of {@code openPrefixes}
     * ({@code header.<Name>}).
     */
    public record Names(Collection<String> known, Collection<String> openPrefixes) {}

    /**
     * As {@link #refuseUnknown(Collection, Collection, String)}, for settings whose options and session confs are not
     * the same names (some are options only, some session confs only) and that are not read through Spark's data
     * source API, so {@link #SPARK_OPTIONS} are refused too unless named.
     */
    public void refuseUnknown(Names readOptions, Names sessionConfs, String documentedAt) {
        refuseUnknown(readOptions, sessionConfs, documentedAt, false);
    }

    private void refuseUnknown(Names readOptions, Names sessionConfs, String documentedAt, boolean sparkOptions) {
        List<String> problems = new ArrayList<>();
        for (String option : options.keySet()) {
            if (!isKnown(option, readOptions.known(), readOptions.openPrefixes())
                    && !(sparkOptions && containsIgnoreCase(SPARK_OPTIONS, option))) {
                problems.add(unknown("option", "", option, readOptions.known()));
            }
        }
        for (String option : sessionConf.keySet()) {
            if (!isKnown(option, sessionConfs.known(), sessionConfs.openPrefixes())) {
                problems.add(unknown("session conf", sessionConfPrefix, option, sessionConfs.known()));
            }
        }
        if (!problems.isEmpty()) {
            String first = problems.get(0);
            problems.set(0, Character.toUpperCase(first.charAt(0)) + first.substring(1));
            String message = String.join("; ", problems);
            throw new IllegalArgumentException(message + (message.endsWith("?") ? " " : ". ") + documentedAt);
        }
    }

    private static boolean isKnown(String option, Collection<String> known, Collection<String> openPrefixes) {
        if (containsIgnoreCase(known, option)) {
            return true;
        }
        for (String prefix : openPrefixes) {
            if (option.length() > prefix.length() && option.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean containsIgnoreCase(Collection<String> names, String name) {
        return names.stream().anyMatch(name::equalsIgnoreCase);
    }

    private static String unknown(String kind, String prefix, String option, Collection<String> known) {
        String closest = closest(option, known);
        return "unknown " + kind + " '" + prefix + option + "'"
                + (closest == null ? "" : ": did you mean '" + prefix + closest + "'?");
    }

    /**
     * The known name nearest to {@code name} (ignoring case; an edit is an insertion, deletion, substitution or swap
     * of neighbours), among those at most a third of the longer name's letters away (at least one edit, at most
     * three allowed); null when none is that close. On a tie, the first in {@code known} wins.
     */
    static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int allowed = Math.min(3, Math.max(1, Math.max(name.length(), candidate.length()) / 3));
            int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance <= allowed && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: Levenshtein plus the swap of two neighbouring letters as one edit. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
