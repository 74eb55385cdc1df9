package io.tributary.prometheus;

import java.io.Serializable;

/** One label matcher of a remote-read query: {@code name}, one of {@code = != =~ !~}, and the value. */
final class RemoteReadMatcher implements Serializable {
  private static final long serialVersionUID = 1L;

  enum Op {
    EQ("=", RemoteReadProto.MATCHER_EQ), NEQ("!=", RemoteReadProto.MATCHER_NEQ),
    RE("=~", RemoteReadProto.MATCHER_RE), NRE("!~", RemoteReadProto.MATCHER_NRE);

    final String symbol;
    final int protoValue;

    Op(String symbol, int protoValue) {
      this.symbol = symbol;
      this.protoValue = protoValue;
    }
  }

  private final String name;
  private final Op op;
  private final String value;

  RemoteReadMatcher(String name, Op op, String value) {
    this.name = name;
    this.op = op;
    this.value = value;
  }

  String name() { return name; }
  Op op() { return op; }
  String value() { return value; }

  /** As PromQL text, for EXPLAIN: {@code instance=~"a|b"}. */
  @Override
  public String toString() {
    return name + op.symbol + LabelMatcher.quote(value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RemoteReadMatcher && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
