package io.tributary.prometheus;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
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
  private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*(?:\\{(.*)\\})?",
      Pattern.DOTALL);
  private static final Pattern NAME_MATCHER = Pattern.compile("__name__\\s*=\\s*\"([a-zA-Z_:][a-zA-Z0-9_:]*)\"");

  private final String name;
  private final String matchers;

  private MetricSelector(String name, String matchers) {
    this.name = name;
    this.matchers = matchers;
  }

  static MetricSelector parse(String option, String text) {
    String trimmed = text.trim();
    Matcher matcher = SELECTOR.matcher(trimmed);
    if (trimmed.isEmpty() || !matcher.matches() || (matcher.group(1) == null && matcher.group(2) == null)) {
      throw new IllegalArgumentException("Option '" + option + "' entry '" + text + "' is not a metric name or"
          + " series selector (name, name{label=\"value\"} or {__name__=\"name\",...}); use the 'query' option"
          + " for PromQL expressions");
    }
    String matchers = matcher.group(2) == null ? "" : matcher.group(2).trim();
    String name = matcher.group(1);
    if (name == null) {
      Matcher nameMatcher = NAME_MATCHER.matcher(matchers);
      name = nameMatcher.find() ? nameMatcher.group(1) : null;
    }
    return new MetricSelector(name, matchers);
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
