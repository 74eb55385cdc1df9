package io.tributary.prometheus;

import io.tributary.prometheus.remoteread.RemoteReadMatcher;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One entry of the {@code metrics} option: a metric name ({@code node_memory_Active_bytes}) or a series selector
 * ({@code node_memory_Active_bytes{job="node"}}, {@code {__name__="up",job="api"}}). Pushed-down label matchers are
 * appended to the selector's own matchers; nothing else of the selector is interpreted.
 */
final class MetricSelector implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern SELECTOR =
            Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*(?:\\{(.*)\\})?", Pattern.DOTALL);
    /** PromQL keywords Prometheus refuses as a metric name (case-insensitive), as measured on Prometheus 2.42. */
    private static final Set<String> NOT_NAMES_SHOWN =
            Set.of("on", "bool", "ignoring", "group_left", "group_right", "atan2");
    /** ...and with them the number literals {@code NaN} and {@code Inf}, which Prometheus answers as a scalar. */
    private static final Set<String> NOT_NAMES = union(NOT_NAMES_SHOWN, Set.of("nan", "inf"));

    private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");

    private final String name;
    private final String matchers;

    private MetricSelector(String name, String matchers) {
        this.name = name;
        this.matchers = matchers;
    }

    /**
     * @throws IllegalArgumentException naming {@code option} when the text is no metric name or series selector:
     *     PromQL that merely looks like one ({@code NaN}, {@code Inf}, a keyword such as {@code bool}, or
     *     {@code up{a="1"} or vector(1) + b{}}) included
     */
    static MetricSelector parse(String option, String text) {
        String trimmed = text.trim();
        Matcher matcher = SELECTOR.matcher(trimmed);
        if (trimmed.isEmpty()
                || !matcher.matches()
                || (matcher.group(1) == null && matcher.group(2) == null)
                || (matcher.group(1) != null
                        && NOT_NAMES.contains(matcher.group(1).toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("Option '" + option + "' entry '" + text + "' is not a metric name or"
                    + " series selector (name, name{label=\"value\"} or {__name__=\"name\",...}; NaN, Inf and the PromQL"
                    + " keywords " + String.join(", ", new TreeSet<>(NOT_NAMES_SHOWN))
                    + " are not metric names); use the"
                    + " 'query' option for PromQL expressions");
        }
        String matchers = matcher.group(2) == null ? "" : matcher.group(2).trim();
        String name = matcher.group(1);
        List<RemoteReadMatcher> parsed = SelectorMatcherParser.parse(option, trimmed, matchers);
        if (name == null && parsed.isEmpty()) {
            throw new IllegalArgumentException("Option '" + option + "' entry '" + text + "' selects nothing: give a"
                    + " metric name or at least one label matcher");
        }
        if (name == null) {
            Matcher nameMatcher = NAME_MATCHER.matcher(matchers);
            name = nameMatcher.find() ? nameMatcher.group(1) : null;
        }
        return new MetricSelector(name, matchers);
    }

    /**
     * What identifies the series this selector reads: its matchers, the name as a {@code __name__} matcher, in any
     * order. Two entries with the same identity read the same series twice.
     */
    Set<RemoteReadMatcher> identity() {
        return new HashSet<>(remoteMatchers("", List.of()));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /** The metric name, or null when the selector does not fix one (e.g. {@code {job="api"}}). */
    String name() {
        return name;
    }

    /** The selector with extra matchers appended, as sent to Prometheus. */
    String render(List<LabelMatcher> extra) {
        String pushed = extra.stream().map(LabelMatcher::toString).collect(Collectors.joining(","));
        String all = matchers.isEmpty() ? pushed : pushed.isEmpty() ? matchers : matchers + "," + pushed;
        boolean nameInMatchers = NAME_MATCHER.matcher(matchers).find();
        String prefix = name == null || nameInMatchers ? "" : name;
        return all.isEmpty() ? prefix : prefix + "{" + all + "}";
    }

    /**
     * The selector as remote-read matchers (mode=raw): the name as a {@code __name__} matcher, the selector's own
     * matchers, then {@code extra}.
     *
     * @throws IllegalArgumentException naming {@code option} when the selector's matchers cannot be parsed
     */
    List<RemoteReadMatcher> remoteMatchers(String option, List<LabelMatcher> extra) {
        List<RemoteReadMatcher> all = new ArrayList<>();
        boolean nameInMatchers = NAME_MATCHER.matcher(matchers).find();
        if (name != null && !nameInMatchers) {
            all.add(new RemoteReadMatcher(SeriesRowValues.NAME_LABEL, RemoteReadMatcher.Op.EQ, name));
        }
        all.addAll(SelectorMatcherParser.parse(option, toString(), matchers));
        extra.forEach(matcher -> all.add(matcher.remote()));
        return all;
    }

    @Override
    public String toString() {
        return render(List.of());
    }
}
