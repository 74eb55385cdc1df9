package io.tributary.prometheus;

import io.tributary.prometheus.remoteread.RemoteReadMatcher;
import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One PromQL label matcher pushed down from a Spark filter: {@code label="value"} for equality, or
 * {@code label=~"a|b"} for IN (regex matchers are fully anchored in Prometheus, so this is exact).
 */
final class LabelMatcher implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String REGEX_SPECIALS = "\\.+*?()|[]{}^$";

    private final String label;
    private final String rendered;
    private final RemoteReadMatcher remote;

    private LabelMatcher(String label, String rendered, RemoteReadMatcher remote) {
        this.label = label;
        this.rendered = rendered;
        this.remote = remote;
    }

    static boolean isValidLabelName(String name) {
        return LABEL_NAME.matcher(name).matches();
    }

    static LabelMatcher equalTo(String label, String value) {
        return new LabelMatcher(
                label,
                label + "=" + RemoteReadMatcher.quote(value),
                new RemoteReadMatcher(label, RemoteReadMatcher.Op.EQ, value));
    }

    static LabelMatcher in(String label, List<String> values) {
        if (values.size() == 1) {
            return equalTo(label, values.get(0));
        }
        String alternatives = values.stream().map(LabelMatcher::escapeRegex).collect(Collectors.joining("|"));
        return new LabelMatcher(
                label,
                label + "=~" + RemoteReadMatcher.quote(alternatives),
                new RemoteReadMatcher(label, RemoteReadMatcher.Op.RE, alternatives));
    }

    String label() {
        return label;
    }

    /** The same matcher for a remote-read query (mode=raw). */
    RemoteReadMatcher remote() {
        return remote;
    }

    /** The matcher as PromQL text, e.g. {@code instance="node-01:9100"}. */
    @Override
    public String toString() {
        return rendered;
    }

    private static String escapeRegex(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 8);
        for (char c : value.toCharArray()) {
            if (REGEX_SPECIALS.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
