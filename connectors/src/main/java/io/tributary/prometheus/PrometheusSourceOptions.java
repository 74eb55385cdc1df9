package io.tributary.prometheus;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every option of {@code spark.read().format("prometheus")}, parsed and validated once into an immutable object.
 * Precedence: read option, then session conf {@code spark.tributary.prometheus.<option>}, then the default.
 */
public final class PrometheusSourceOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String URL = "url";
  public static final String METRICS = "metrics";
  public static final String QUERY = "query";
  public static final String START = "start";
  public static final String END = "end";
  public static final String STEP = "step";
  public static final String LAYOUT = "layout";
  public static final String LABEL_COLUMNS = "labelColumns";
  public static final String PARTITION_DURATION = "partitionDuration";
  public static final String MAX_SAMPLES_PER_REQUEST = "maxSamplesPerRequest";
  public static final String USER = "user";
  public static final String PASSWORD = "password";
  public static final String BEARER_TOKEN = "bearerToken";
  public static final String BEARER_TOKEN_FILE = "bearerTokenFile";
  public static final String HEADER_PREFIX = "header.";
  public static final String TLS_CA_FILE = "tlsCaFile";
  public static final String TLS_INSECURE = "tlsInsecure";
  public static final String TIMEOUT = "timeout";
  public static final String MAX_RETRIES = "maxRetries";
  public static final String RETRY_INITIAL_DELAY = "retryInitialDelay";
  public static final String MODE = "mode";
  public static final String MAX_CONCURRENT_READS = "maxConcurrentReads";

  static final String DEFAULT_END = "now";
  static final String DEFAULT_STEP = "15s";
  /** partitionDuration=auto (the default): see {@link PrometheusPartitionPlanner#autoPointsPerSlice}. */
  static final String AUTO = "auto";
  static final long DEFAULT_MAX_SAMPLES_PER_REQUEST = 2_000_000L;
  static final String DEFAULT_TIMEOUT = "2m";
  static final int DEFAULT_MAX_RETRIES = 5;
  static final String DEFAULT_RETRY_INITIAL_DELAY = "500ms";
  /** Prometheus answers HTTP 400 when a range query would return more than 11,000 points per series. */
  static final long MAX_POINTS_PER_SERIES = 11_000L;
  /** Prometheus' default --storage.remote.read-concurrent-limit. */
  static final int DEFAULT_MAX_CONCURRENT_READS = 10;

  /** Column names of the fixed part of the schema; label columns and metric columns may not reuse them. */
  static final Set<String> RESERVED_COLUMNS = Set.of("metric", "labels", "timestamp", "value", "histogram");

  private final PrometheusConnection connection;
  private final List<MetricSelector> metrics;
  private final String query;
  private final Instant start;
  private final Instant end;
  private final Duration step;
  private final Layout layout;
  private final List<String> labelColumns;
  private final Duration partitionDuration;
  private final long maxSamplesPerRequest;
  private final ReadMode mode;
  private final int maxConcurrentReads;
  private final PrometheusStreamOptions stream;
  private final PrometheusAnswerOptions answers;

  private PrometheusSourceOptions(PrometheusConnection connection, List<MetricSelector> metrics, String query,
      Instant start, Instant end, Duration step, Layout layout, List<String> labelColumns,
      Duration partitionDuration, long maxSamplesPerRequest, ReadMode mode, int maxConcurrentReads,
      PrometheusStreamOptions stream, PrometheusAnswerOptions answers) {
    this.connection = connection;
    this.metrics = metrics;
    this.query = query;
    this.start = start;
    this.end = end;
    this.step = step;
    this.layout = layout;
    this.labelColumns = labelColumns;
    this.partitionDuration = partitionDuration;
    this.maxSamplesPerRequest = maxSamplesPerRequest;
    this.mode = mode;
    this.maxConcurrentReads = maxConcurrentReads;
    this.stream = stream;
    this.answers = answers;
  }

  /**
   * @param options the read options (case-insensitive)
   * @param sessionConf the session's SQL conf; only {@code spark.tributary.prometheus.*} entries are read
   * @param clock "now" for {@code end} (default) and {@code now-<duration>} times
   * @throws IllegalArgumentException naming the option at fault
   */
  public static PrometheusSourceOptions from(Map<String, String> options, Map<String, String> sessionConf,
      Clock clock) {
    OptionLookup lookup = OptionLookup.of(options, sessionConf);

    URI url = parseUrl(lookup.get(URL));
    String query = lookup.get(QUERY);
    String metricsText = lookup.get(METRICS);
    if ((query == null) == (metricsText == null)) {
      throw new IllegalArgumentException("Exactly one of the options '" + METRICS + "' (metric names or series"
          + " selectors) and '" + QUERY + "' (one PromQL expression) must be set; "
          + (query == null ? "neither was given" : "both were given"));
    }
    List<MetricSelector> metrics = metricsText == null ? List.of() : parseMetrics(metricsText);

    if (!lookup.has(START)) {
      throw new IllegalArgumentException("Option '" + START + "' is required: RFC 3339 (2023-01-01T00:00:00Z),"
          + " epoch seconds, or now-<duration> (now-6h)");
    }
    Instant start = PrometheusTime.parse(START, lookup.get(START), clock);
    Instant end = PrometheusTime.parse(END, lookup.get(END, DEFAULT_END), clock);
    if (start.isAfter(end)) {
      throw new IllegalArgumentException("Option '" + START + "' (" + start + ") is after option '" + END
          + "' (" + end + ")");
    }
    Duration step = PrometheusDuration.parse(STEP, lookup.get(STEP, DEFAULT_STEP));
    Layout layout = Layout.parse(LAYOUT, lookup.get(LAYOUT, "long"));
    List<String> labelColumns = parseLabelColumns(lookup.get(LABEL_COLUMNS));
    if (layout == Layout.WIDE) {
      validateWide(query, metrics, labelColumns);
    }
    String partitionText = lookup.get(PARTITION_DURATION, AUTO);
    Duration partitionDuration = partitionText.trim().equalsIgnoreCase(AUTO) ? null
        : PrometheusDuration.parse(PARTITION_DURATION, partitionText);
    long maxSamples = lookup.getLong(MAX_SAMPLES_PER_REQUEST, DEFAULT_MAX_SAMPLES_PER_REQUEST, 1);
    PrometheusStreamOptions stream = PrometheusStreamOptions.from(lookup, step);
    PrometheusAnswerOptions answers = PrometheusAnswerOptions.from(lookup, layout, metrics);

    PrometheusConnection connection = parseConnection(lookup, url);
    ReadMode mode = ReadMode.parse(MODE, lookup.get(MODE, "range"));
    int maxConcurrentReads = (int) lookup.getLong(MAX_CONCURRENT_READS, DEFAULT_MAX_CONCURRENT_READS, 1);
    if (mode == ReadMode.RAW) {
      validateRaw(query, metrics, layout);
    }
    return new PrometheusSourceOptions(connection, metrics, query, start, end, step, layout, labelColumns,
        partitionDuration, maxSamples, mode, maxConcurrentReads, stream, answers);
  }

  /** mode=raw is remote read: series selectors only, and no common grid to build a wide row on. */
  private static void validateRaw(String query, List<MetricSelector> metrics, Layout layout) {
    if (query != null) {
      throw new IllegalArgumentException("Option '" + MODE + "'=raw reads raw samples by remote read, which takes"
          + " series selectors, not PromQL: use option '" + METRICS + "' instead of option '" + QUERY + "'");
    }
    if (layout == Layout.WIDE) {
      throw new IllegalArgumentException("Option '" + LAYOUT + "'=wide needs " + MODE + "=range (one row per"
          + " step of a common grid); " + MODE + "=raw returns layout=long");
    }
    for (MetricSelector selector : metrics) {
      selector.remoteMatchers(METRICS, List.of());
    }
  }

  private static URI parseUrl(String text) {
    if (text == null) {
      throw new IllegalArgumentException("Option '" + URL + "' is required, e.g. http://127.0.0.1:9090"
          + " (a path prefix such as http://thanos:10902/prefix is allowed)");
    }
    try {
      URI uri = new URI(text.trim());
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
        throw new URISyntaxException(text, "not an http(s) URL with a host");
      }
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new URISyntaxException(text, "a query string or fragment is not allowed");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Option '" + URL + "' must be an http:// or https:// URL with a host,"
          + " got '" + safeText(text) + "' (" + e.getReason() + ")");
    }
  }

  /** The URL text with any user-info removed, for messages. */
  private static String safeText(String text) {
    return text.replaceAll("//[^/@]*@", "//");
  }

  private static List<MetricSelector> parseMetrics(String text) {
    List<MetricSelector> selectors = new ArrayList<>();
    for (String entry : splitTopLevel(text)) {
      if (!entry.isBlank()) {
        selectors.add(MetricSelector.parse(METRICS, entry));
      }
    }
    if (selectors.isEmpty()) {
      throw new IllegalArgumentException("Option '" + METRICS + "' lists no metric");
    }
    return List.copyOf(selectors);
  }

  /** Splits at commas outside braces and quotes, since selectors carry commas between their matchers. */
  static List<String> splitTopLevel(String text) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    boolean quoted = false;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(text.substring(from, i).trim());
        from = i + 1;
      }
    }
    parts.add(text.substring(from).trim());
    return parts;
  }

  private static List<String> parseLabelColumns(String text) {
    if (text == null) {
      return List.of();
    }
    Set<String> columns = new LinkedHashSet<>();
    for (String raw : text.split(",")) {
      String name = raw.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (!LabelMatcher.isValidLabelName(name) || name.equals("__name__")) {
        throw new IllegalArgumentException("Option '" + LABEL_COLUMNS + "' entry '" + name
            + "' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*, not __name__)");
      }
      if (RESERVED_COLUMNS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException("Option '" + LABEL_COLUMNS + "' entry '" + name
            + "' clashes with the fixed column of that name; read it from the labels map instead");
      }
      if (!columns.add(name)) {
        throw new IllegalArgumentException("Option '" + LABEL_COLUMNS + "' lists '" + name + "' twice");
      }
    }
    return List.copyOf(columns);
  }

  private static void validateWide(String query, List<MetricSelector> metrics, List<String> labelColumns) {
    if (query != null) {
      throw new IllegalArgumentException("Option '" + LAYOUT + "'=wide needs the '" + METRICS
          + "' option (one column per metric); with '" + QUERY + "' use layout=long");
    }
    Set<String> seen = new HashSet<>();
    for (MetricSelector selector : metrics) {
      String name = selector.name();
      if (name == null) {
        throw new IllegalArgumentException("Option '" + LAYOUT + "'=wide needs a metric name in every '"
            + METRICS + "' entry to name its column; '" + selector + "' has none");
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (!seen.add(lower)) {
        throw new IllegalArgumentException("Option '" + METRICS + "' names metric '" + name
            + "' twice; with layout=wide each metric becomes one column");
      }
      if (lower.equals("labels") || lower.equals("timestamp")
          || labelColumns.stream().anyMatch(column -> column.equalsIgnoreCase(name))) {
        throw new IllegalArgumentException("Option '" + METRICS + "' metric '" + name
            + "' clashes with a column of the same name in layout=wide");
      }
    }
  }

  private static PrometheusConnection parseConnection(OptionLookup lookup, URI url) {
    String user = lookup.get(USER);
    String password = lookup.get(PASSWORD);
    String bearerToken = lookup.get(BEARER_TOKEN);
    String bearerTokenFile = lookup.get(BEARER_TOKEN_FILE);
    if (password != null && user == null) {
      throw new IllegalArgumentException("Option '" + PASSWORD + "' needs option '" + USER + "'");
    }
    int authKinds = (user != null ? 1 : 0) + (bearerToken != null ? 1 : 0) + (bearerTokenFile != null ? 1 : 0);
    if (authKinds > 1) {
      throw new IllegalArgumentException("Options '" + USER + "', '" + BEARER_TOKEN + "' and '"
          + BEARER_TOKEN_FILE + "' are alternatives: set at most one");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("Option '" + URL + "' must not carry credentials; use the options '"
          + USER + "' and '" + PASSWORD + "'");
    }
    Map<String, String> headers = lookup.withPrefix(HEADER_PREFIX);
    Duration timeout = PrometheusDuration.parse(TIMEOUT, lookup.get(TIMEOUT, DEFAULT_TIMEOUT));
    int maxRetries = (int) lookup.getLong(MAX_RETRIES, DEFAULT_MAX_RETRIES, 0);
    Duration retryInitialDelay =
        PrometheusDuration.parse(RETRY_INITIAL_DELAY, lookup.get(RETRY_INITIAL_DELAY, DEFAULT_RETRY_INITIAL_DELAY));
    return new PrometheusConnection(url, user, password == null ? "" : password, bearerToken, bearerTokenFile,
        headers, lookup.get(TLS_CA_FILE), lookup.getBoolean(TLS_INSECURE, false), timeout, maxRetries,
        retryInitialDelay);
  }

  PrometheusConnection connection() { return connection; }
  /** The selectors of the {@code metrics} option; empty when {@code query} is used. */
  List<MetricSelector> metrics() { return metrics; }
  /** The PromQL expression of the {@code query} option, or null. */
  String query() { return query; }
  Instant start() { return start; }
  Instant end() { return end; }
  Duration step() { return step; }
  Layout layout() { return layout; }
  List<String> labelColumns() { return labelColumns; }
  /** The slice length asked for, or null for automatic. */
  Duration partitionDuration() { return partitionDuration; }
  long maxSamplesPerRequest() { return maxSamplesPerRequest; }
  ReadMode mode() { return mode; }
  /** mode=raw: most remote-read requests one scan has in flight, hence most partitions. */
  int maxConcurrentReads() { return maxConcurrentReads; }
  /** The options of {@code spark.readStream()}: lateness, maxBatchDuration. */
  PrometheusStreamOptions stream() { return stream; }
  /** What the read accepts from answers: histogramMetrics, allowPartialResponse. */
  PrometheusAnswerOptions answers() { return answers; }

  @Override
  public String toString() {
    return "PrometheusSourceOptions[" + connection + ", "
        + (query != null ? "query=" + query : "metrics=" + metrics) + ", start=" + start + ", end=" + end
        + ", step=" + PrometheusDuration.format(step) + ", layout=" + layout + ", labelColumns=" + labelColumns
        + ", partitionDuration=" + (partitionDuration == null ? AUTO : PrometheusDuration.format(partitionDuration))
        + ", maxSamplesPerRequest=" + maxSamplesPerRequest + ", mode=" + mode
        + ", maxConcurrentReads=" + maxConcurrentReads + ", " + stream + ", " + answers + "]";
  }
}
