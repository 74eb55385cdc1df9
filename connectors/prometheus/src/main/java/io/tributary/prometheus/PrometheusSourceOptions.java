package io.tributary.prometheus;

import io.tributary.options.OptionReader;
import io.tributary.prometheus.client.PrometheusConnection;
import io.tributary.prometheus.client.PrometheusDuration;
import io.tributary.prometheus.remoteread.RemoteReadMatcher;
import java.io.Serializable;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

    public static final String URL = PrometheusConnection.URL;
    public static final String METRICS = "metrics";
    public static final String QUERY = "query";
    public static final String START = "start";
    public static final String END = "end";
    public static final String STEP = "step";
    public static final String LAYOUT = "layout";
    public static final String LABEL_COLUMNS = "labelColumns";
    public static final String LABELS_FORMAT = "labelsFormat";
    public static final String PARTITION_DURATION = "partitionDuration";
    public static final String MAX_SAMPLES_PER_REQUEST = "maxSamplesPerRequest";
    public static final String USER = PrometheusConnection.USER;
    public static final String PASSWORD = PrometheusConnection.PASSWORD;
    public static final String BEARER_TOKEN = PrometheusConnection.BEARER_TOKEN;
    public static final String BEARER_TOKEN_FILE = PrometheusConnection.BEARER_TOKEN_FILE;
    public static final String HEADER_PREFIX = PrometheusConnection.HEADER_PREFIX;
    public static final String TLS_CA_FILE = PrometheusConnection.TLS_CA_FILE;
    public static final String TLS_INSECURE = PrometheusConnection.TLS_INSECURE;
    public static final String TIMEOUT = PrometheusConnection.TIMEOUT;
    public static final String MAX_RETRIES = PrometheusConnection.MAX_RETRIES;
    public static final String RETRY_INITIAL_DELAY = PrometheusConnection.RETRY_INITIAL_DELAY;
    public static final String MODE = "mode";
    public static final String MAX_CONCURRENT_READS = "maxConcurrentReads";
    /** The source's name in its session confs, {@code spark.tributary.prometheus.<option>}. */
    static final String SOURCE = "prometheus";
    /** Every option the source reads (batch and stream), besides {@code header.<Name>}. */
    static final List<String> OPTIONS = List.of(
            URL,
            METRICS,
            QUERY,
            START,
            END,
            STEP,
            LAYOUT,
            LABEL_COLUMNS,
            LABELS_FORMAT,
            PARTITION_DURATION,
            MAX_SAMPLES_PER_REQUEST,
            USER,
            PASSWORD,
            BEARER_TOKEN,
            BEARER_TOKEN_FILE,
            TLS_CA_FILE,
            TLS_INSECURE,
            TIMEOUT,
            MAX_RETRIES,
            RETRY_INITIAL_DELAY,
            MODE,
            MAX_CONCURRENT_READS,
            PrometheusAnswerOptions.HISTOGRAM_METRICS,
            PrometheusAnswerOptions.ALLOW_PARTIAL_RESPONSE,
            PrometheusStreamOptions.LATENESS,
            PrometheusStreamOptions.MAX_BATCH_DURATION);

    static final String OPTIONS_DOCUMENTED_AT = "The options of format(\"prometheus\") are listed in README.md under"
            + " \"Prometheus\" > \"Options\" (lateness and maxBatchDuration under \"Streaming\")";

    static final String DEFAULT_END = "now";
    static final Duration DEFAULT_STEP = Duration.ofSeconds(15);
    /** partitionDuration=auto (the default): see {@link RangePartitionPlanner#autoPointsPerSlice}. */
    static final String AUTO = "auto";

    static final long DEFAULT_MAX_SAMPLES_PER_REQUEST = 2_000_000L;
    /** Twenty times Prometheus' default --query.max-samples (50,000,000), which answers 422 beyond it anyway. */
    static final long MAX_MAX_SAMPLES_PER_REQUEST = 1_000_000_000L;
    /** Prometheus answers HTTP 400 when a range query would return more than 11,000 points per series. */
    static final long MAX_POINTS_PER_SERIES = 11_000L;
    /** Prometheus' default --storage.remote.read-concurrent-limit. */
    static final int DEFAULT_MAX_CONCURRENT_READS = 10;
    /** A hundred times Prometheus' default remote-read concurrency. */
    static final int MAX_MAX_CONCURRENT_READS = 1_000;

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
    private final LabelsFormat labelsFormat;
    private final Duration partitionDuration;
    private final long maxSamplesPerRequest;
    private final ReadMode mode;
    private final int maxConcurrentReads;
    private final PrometheusStreamOptions stream;
    private final PrometheusAnswerOptions answers;

    private PrometheusSourceOptions(
            PrometheusConnection connection,
            List<MetricSelector> metrics,
            String query,
            Instant start,
            Instant end,
            Duration step,
            Layout layout,
            List<String> labelColumns,
            LabelsFormat labelsFormat,
            Duration partitionDuration,
            long maxSamplesPerRequest,
            ReadMode mode,
            int maxConcurrentReads,
            PrometheusStreamOptions stream,
            PrometheusAnswerOptions answers) {
        this.connection = connection;
        this.metrics = metrics;
        this.query = query;
        this.start = start;
        this.end = end;
        this.step = step;
        this.layout = layout;
        this.labelColumns = labelColumns;
        this.labelsFormat = labelsFormat;
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
    public static PrometheusSourceOptions from(
            Map<String, String> options, Map<String, String> sessionConf, Clock clock) {
        OptionReader lookup = OptionReader.of(SOURCE, options, sessionConf);
        lookup.refuseUnknown(OPTIONS, List.of(HEADER_PREFIX), OPTIONS_DOCUMENTED_AT);

        URI url = PrometheusConnection.parseUrl(lookup.get(URL));
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
            throw new IllegalArgumentException(
                    "Option '" + START + "' (" + start + ") is after option '" + END + "' (" + end + ")");
        }
        Duration step = planDuration(lookup, STEP, DEFAULT_STEP);
        Layout layout = lookup.getEnum(LAYOUT, Layout.LONG, Layout.class);
        List<String> labelColumns = parseLabelColumns(lookup.get(LABEL_COLUMNS));
        LabelsFormat labelsFormat = lookup.getEnum(LABELS_FORMAT, LabelsFormat.MAP, LabelsFormat.class);
        if (layout == Layout.WIDE) {
            validateWide(query, metrics, labelColumns);
        }
        Duration partitionDuration = lookup.get(
                PARTITION_DURATION,
                null,
                (name, text) -> text.trim().equalsIgnoreCase(AUTO)
                        ? null
                        : PrometheusDuration.parse(
                                name, text, PrometheusDuration.MIN, PrometheusDuration.MAX_PLAN_DURATION));
        long maxSamples = lookup.getLong(
                MAX_SAMPLES_PER_REQUEST, DEFAULT_MAX_SAMPLES_PER_REQUEST, 1, MAX_MAX_SAMPLES_PER_REQUEST);
        PrometheusStreamOptions stream = PrometheusStreamOptions.from(lookup);
        PrometheusAnswerOptions answers = PrometheusAnswerOptions.from(lookup, layout, metrics);

        PrometheusConnection connection = PrometheusConnection.from(lookup, url);
        ReadMode mode = lookup.getEnum(MODE, ReadMode.RANGE, ReadMode.class);
        int maxConcurrentReads =
                lookup.getInt(MAX_CONCURRENT_READS, DEFAULT_MAX_CONCURRENT_READS, 1, MAX_MAX_CONCURRENT_READS);
        if (mode == ReadMode.RAW) {
            validateRaw(query, metrics, layout);
        } else {
            PlanBounds.checkGridPoints(start, end, step);
        }
        return new PrometheusSourceOptions(
                connection,
                metrics,
                query,
                start,
                end,
                step,
                layout,
                labelColumns,
                labelsFormat,
                partitionDuration,
                maxSamples,
                mode,
                maxConcurrentReads,
                stream,
                answers);
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

    /** A duration that shapes the plan (step, partitionDuration, lateness, maxBatchDuration): 1ms to 365d. */
    static Duration planDuration(OptionReader lookup, String option, Duration defaultValue) {
        return lookup.getDuration(
                option,
                defaultValue,
                PrometheusDuration.SYNTAX,
                PrometheusDuration.MIN,
                PrometheusDuration.MAX_PLAN_DURATION);
    }

    private static List<MetricSelector> parseMetrics(String text) {
        List<MetricSelector> selectors = new ArrayList<>();
        Map<Set<RemoteReadMatcher>, MetricSelector> byIdentity = new HashMap<>();
        for (String entry : splitTopLevel(text)) {
            if (!entry.isBlank()) {
                MetricSelector selector = MetricSelector.parse(METRICS, entry);
                MetricSelector earlier = byIdentity.putIfAbsent(selector.identity(), selector);
                if (earlier != null) {
                    throw new IllegalArgumentException(
                            "Option '" + METRICS + "' lists the series of '" + earlier + "' twice (again as '" + entry
                                    + "'); each entry is read once, so its rows would appear twice");
                }
                selectors.add(selector);
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
        Set<String> lowerCase = new HashSet<>();
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
            if (!lowerCase.add(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("Option '" + LABEL_COLUMNS + "' lists '" + name + "' twice, ignoring"
                        + " case; Spark resolves column names ignoring case, so such columns could not be told apart");
            }
            columns.add(name);
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
            if (lower.equals("labels")
                    || lower.equals("timestamp")
                    || labelColumns.stream().anyMatch(column -> column.equalsIgnoreCase(name))) {
                throw new IllegalArgumentException("Option '" + METRICS + "' metric '" + name
                        + "' clashes with a column of the same name in layout=wide");
            }
        }
    }

    PrometheusConnection connection() {
        return connection;
    }
    /** The selectors of the {@code metrics} option; empty when {@code query} is used. */
    List<MetricSelector> metrics() {
        return metrics;
    }
    /** The PromQL expression of the {@code query} option, or null. */
    String query() {
        return query;
    }

    Instant start() {
        return start;
    }

    Instant end() {
        return end;
    }

    Duration step() {
        return step;
    }

    Layout layout() {
        return layout;
    }

    List<String> labelColumns() {
        return labelColumns;
    }
    /** Whether the {@code labels} column is a map or a JSON string. */
    LabelsFormat labelsFormat() {
        return labelsFormat;
    }
    /** The slice length asked for, or null for automatic. */
    Duration partitionDuration() {
        return partitionDuration;
    }

    long maxSamplesPerRequest() {
        return maxSamplesPerRequest;
    }

    ReadMode mode() {
        return mode;
    }
    /** mode=raw: most remote-read requests one scan has in flight, hence most partitions. */
    int maxConcurrentReads() {
        return maxConcurrentReads;
    }
    /** The options of {@code spark.readStream()}: lateness, maxBatchDuration. */
    PrometheusStreamOptions stream() {
        return stream;
    }
    /** What the read accepts from answers: histogramMetrics, allowPartialResponse. */
    PrometheusAnswerOptions answers() {
        return answers;
    }

    @Override
    public String toString() {
        return "PrometheusSourceOptions[" + connection + ", "
                + (query != null ? "query=" + query : "metrics=" + metrics) + ", start=" + start + ", end=" + end
                + ", step=" + PrometheusDuration.format(step) + ", layout=" + layout + ", labelColumns=" + labelColumns
                + ", labelsFormat=" + labelsFormat.name().toLowerCase(Locale.ROOT)
                + ", partitionDuration="
                + (partitionDuration == null ? AUTO : PrometheusDuration.format(partitionDuration))
                + ", maxSamplesPerRequest=" + maxSamplesPerRequest + ", mode=" + mode
                + ", maxConcurrentReads=" + maxConcurrentReads + ", " + stream + ", " + answers + "]";
    }
}
