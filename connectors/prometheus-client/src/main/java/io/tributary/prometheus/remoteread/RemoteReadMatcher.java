package io.tributary.prometheus.remoteread;

import java.io.Serializable;

/** One label matcher of a remote-read query: {@code name}, one of {@code = != =~ !~}, and the value. */
public final class RemoteReadMatcher implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Op {
        EQ("=", RemoteReadProto.MATCHER_EQ),
        NEQ("!=", RemoteReadProto.MATCHER_NEQ),
        RE("=~", RemoteReadProto.MATCHER_RE),
        NRE("!~", RemoteReadProto.MATCHER_NRE);

        private final String symbol;
        final int protoValue;

        Op(String symbol, int protoValue) {
            this.symbol = symbol;
            this.protoValue = protoValue;
        }

        /** The operator as PromQL writes it, e.g. {@code =~}. */
        public String symbol() {
            return symbol;
        }
    }

    private final String name;
    private final Op op;
    private final String value;

    public RemoteReadMatcher(String name, Op op, String value) {
        this.name = name;
        this.op = op;
        this.value = value;
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    public String value() {
        return value;
    }

    /** As PromQL text, for EXPLAIN: {@code instance=~"a|b"}. */
    @Override
    public String toString() {
        return name + op.symbol() + quote(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RemoteReadMatcher && toString().equals(other.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    /** A PromQL double-quoted string literal: backslash, quote and newline escaped, so no value can change the query. */
    public static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '\\':
                    quoted.append("\\\\");
                    break;
                case '"':
                    quoted.append("\\\"");
                    break;
                case '\n':
                    quoted.append("\\n");
                    break;
                default:
                    quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
