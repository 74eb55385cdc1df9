package io.tributary.prometheus;

import io.tributary.prometheus.remoteread.RemoteReadMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the matcher list inside a series selector's braces ({@code job="node", instance=~"a|b"}) into remote-read
 * matchers, since remote read takes matchers, not PromQL text; for range queries, it proves that the braces hold
 * matchers and nothing else ({@code up{a="1"} or b{}} would otherwise pass for a selector). Values are PromQL string literals: double- or
 * single-quoted with Go escapes, or back-quoted raw.
 */
final class SelectorMatcherParser {
    private final String option;
    private final String selector;
    private final String text;
    private int position;

    private SelectorMatcherParser(String option, String selector, String text) {
        this.option = option;
        this.selector = selector;
        this.text = text;
    }

    static List<RemoteReadMatcher> parse(String option, String selector, String text) {
        return new SelectorMatcherParser(option, selector, text).matchers();
    }

    private List<RemoteReadMatcher> matchers() {
        List<RemoteReadMatcher> matchers = new ArrayList<>();
        skipSpaces();
        while (position < text.length()) {
            String name = labelName();
            skipSpaces();
            RemoteReadMatcher.Op op = operator();
            skipSpaces();
            matchers.add(new RemoteReadMatcher(name, op, stringLiteral()));
            skipSpaces();
            if (position < text.length()) {
                expect(',');
                skipSpaces();
            }
        }
        return matchers;
    }

    private String labelName() {
        int from = position;
        while (position < text.length()
                && (Character.isLetterOrDigit(text.charAt(position)) || text.charAt(position) == '_')) {
            position++;
        }
        String name = text.substring(from, position);
        if (!LabelMatcher.isValidLabelName(name)) {
            throw error("a label name");
        }
        return name;
    }

    private RemoteReadMatcher.Op operator() {
        for (RemoteReadMatcher.Op op : new RemoteReadMatcher.Op[] {
            RemoteReadMatcher.Op.RE, RemoteReadMatcher.Op.NRE, RemoteReadMatcher.Op.NEQ, RemoteReadMatcher.Op.EQ
        }) {
            if (text.startsWith(op.symbol(), position)) {
                position += op.symbol().length();
                return op;
            }
        }
        throw error("one of = != =~ !~");
    }

    private String stringLiteral() {
        if (position >= text.length()) {
            throw error("a quoted value");
        }
        char quote = text.charAt(position);
        if (quote != '"' && quote != '\'' && quote != '`') {
            throw error("a quoted value");
        }
        position++;
        if (quote == '`') {
            int end = text.indexOf('`', position);
            if (end < 0) {
                throw error("a closing `");
            }
            String raw = text.substring(position, end);
            position = end + 1;
            return raw;
        }
        StringBuilder value = new StringBuilder();
        while (position < text.length()) {
            char c = text.charAt(position++);
            if (c == quote) {
                return value.toString();
            }
            if (c == '\\') {
                escape(value);
            } else {
                value.append(c);
            }
        }
        throw error("a closing " + quote);
    }

    /** Go string escapes, as PromQL takes them. */
    private void escape(StringBuilder value) {
        if (position >= text.length()) {
            throw error("an escape sequence");
        }
        char c = text.charAt(position++);
        switch (c) {
            case 'a':
                value.append('\u0007');
                break;
            case 'b':
                value.append('\b');
                break;
            case 'f':
                value.append('\f');
                break;
            case 'n':
                value.append('\n');
                break;
            case 'r':
                value.append('\r');
                break;
            case 't':
                value.append('\t');
                break;
            case 'v':
                value.append('\u000b');
                break;
            case 'x':
                value.appendCodePoint(hex(2));
                break;
            case 'u':
                value.appendCodePoint(hex(4));
                break;
            case 'U':
                value.appendCodePoint(hex(8));
                break;
            case '\\':
            case '"':
            case '\'':
                value.append(c);
                break;
            default:
                if (c >= '0' && c <= '7' && position + 2 <= text.length()) {
                    value.appendCodePoint(Integer.parseInt(text.substring(position - 1, position + 2), 8));
                    position += 2;
                } else {
                    throw error("a valid escape sequence");
                }
        }
    }

    private int hex(int digits) {
        if (position + digits > text.length()) {
            throw error(digits + " hex digits");
        }
        try {
            int code = Integer.parseInt(text.substring(position, position + digits), 16);
            position += digits;
            return code;
        } catch (NumberFormatException e) {
            throw error(digits + " hex digits");
        }
    }

    private void expect(char c) {
        if (text.charAt(position) != c) {
            throw error("'" + c + "'");
        }
        position++;
    }

    private void skipSpaces() {
        while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
            position++;
        }
    }

    private IllegalArgumentException error(String wanted) {
        return new IllegalArgumentException("Option '" + option + "' entry '" + selector + "' is not a series"
                + " selector: expected " + wanted + " at position " + position + " of its matchers '" + text
                + "' (matchers are label=\"value\", !=, =~ or !~, separated by commas); use the 'query' option for PromQL"
                + " expressions");
    }
}
