package io.tributary.prometheus;

import io.tributary.prometheus.remoteread.RemoteReadMatcher;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;

/**
 * Turns Spark filters into what Prometheus can do: comparisons on {@code timestamp} narrow the grid range;
 * equality and IN on {@code metric} or a label column become label matchers (only with the {@code metrics}
 * option: a PromQL expression cannot be safely rewritten). Every filter is still evaluated by Spark after the
 * scan, so pushdown only ever reads less, never changes the answer.
 */
final class PrometheusFilterPushdown {
    private final PrometheusSourceOptions options;
    private final TimeGrid grid;
    private long firstIndex;
    private long endIndex;
    private Set<String> metricNames;
    private final List<LabelMatcher> matchers = new ArrayList<>();
    private final List<Filter> pushed = new ArrayList<>();

    PrometheusFilterPushdown(PrometheusSourceOptions options, TimeGrid grid) {
        this.options = options;
        this.grid = grid;
        this.firstIndex = 0;
        this.endIndex = grid.pointCount();
    }

    void push(Filter[] filters) {
        for (Filter filter : filters) {
            if (pushTime(filter) || pushMatcher(filter)) {
                pushed.add(filter);
            }
        }
    }

    private boolean pushTime(Filter filter) {
        if (filter instanceof GreaterThan && isTimestamp(((GreaterThan) filter).attribute())) {
            return lowerBound(((GreaterThan) filter).value(), true);
        }
        if (filter instanceof GreaterThanOrEqual && isTimestamp(((GreaterThanOrEqual) filter).attribute())) {
            return lowerBound(((GreaterThanOrEqual) filter).value(), false);
        }
        if (filter instanceof LessThan && isTimestamp(((LessThan) filter).attribute())) {
            return upperBound(((LessThan) filter).value(), true);
        }
        if (filter instanceof LessThanOrEqual && isTimestamp(((LessThanOrEqual) filter).attribute())) {
            return upperBound(((LessThanOrEqual) filter).value(), false);
        }
        if (filter instanceof EqualTo && isTimestamp(((EqualTo) filter).attribute())) {
            Object value = ((EqualTo) filter).value();
            return lowerBound(value, false) && upperBound(value, false);
        }
        return false;
    }

    private static boolean isTimestamp(String attribute) {
        return attribute.equals(PrometheusSchema.TIMESTAMP);
    }

    private boolean lowerBound(Object value, boolean exclusive) {
        Long micros = toMicros(value);
        if (micros == null) {
            return false;
        }
        firstIndex = Math.max(firstIndex, grid.firstIndexFrom(micros, exclusive));
        return true;
    }

    private boolean upperBound(Object value, boolean exclusive) {
        Long micros = toMicros(value);
        if (micros == null) {
            return false;
        }
        endIndex = Math.min(endIndex, grid.endIndexUpTo(micros, exclusive));
        return true;
    }

    private static Long toMicros(Object value) {
        if (value instanceof Timestamp) {
            Timestamp timestamp = (Timestamp) value;
            return Math.floorDiv(timestamp.getTime(), 1000) * 1_000_000 + timestamp.getNanos() / 1000;
        }
        if (value instanceof Instant) {
            Instant instant = (Instant) value;
            return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
        }
        return null;
    }

    private boolean pushMatcher(Filter filter) {
        if (options.query() != null) {
            return false;
        }
        String attribute;
        List<String> values;
        if (filter instanceof EqualTo && ((EqualTo) filter).value() instanceof String) {
            attribute = ((EqualTo) filter).attribute();
            values = List.of((String) ((EqualTo) filter).value());
        } else if (filter instanceof In && allStrings(((In) filter).values())) {
            attribute = ((In) filter).attribute();
            values = Arrays.stream(((In) filter).values())
                    .map(String.class::cast)
                    .distinct()
                    .collect(Collectors.toList());
        } else {
            return false;
        }
        if (attribute.equals(PrometheusSchema.METRIC) && options.layout() == Layout.LONG) {
            restrictMetricNames(values);
            return true;
        }
        if (options.labelColumns().contains(attribute) && !values.isEmpty()) {
            matchers.add(LabelMatcher.in(attribute, values));
            return true;
        }
        return false;
    }

    private static boolean allStrings(Object[] values) {
        return Arrays.stream(values).allMatch(value -> value instanceof String);
    }

    private void restrictMetricNames(List<String> names) {
        Set<String> allowed = new LinkedHashSet<>(names);
        if (metricNames != null) {
            allowed.retainAll(metricNames);
        }
        metricNames = allowed;
    }

    long firstIndex() {
        return firstIndex;
    }

    long endIndex() {
        return Math.max(firstIndex, endIndex);
    }

    List<Filter> pushed() {
        return pushed;
    }

    /**
     * The queries to send: for {@code metrics}, each selector with the pushed matchers, in option order, without
     * the selectors whose metric name a pushed {@code metric} filter excludes (a selector without a fixed name gets
     * a {@code __name__} matcher instead); for {@code query}, the expression as given.
     */
    List<String> queries() {
        if (options.query() != null) {
            return List.of(options.query());
        }
        List<String> queries = new ArrayList<>();
        for (MetricSelector selector : options.metrics()) {
            String query = renderIfSelected(selector);
            if (query != null) {
                queries.add(query);
            }
        }
        return queries;
    }

    private String renderIfSelected(MetricSelector selector) {
        List<LabelMatcher> extra = pushedMatchersIfSelected(selector);
        return extra == null ? null : selector.render(extra);
    }

    /**
     * mode=raw: the remote-read matchers of each selector left after pushdown, chosen as {@link #queries()}
     * chooses the PromQL selectors.
     */
    List<List<RemoteReadMatcher>> remoteQueries() {
        List<List<RemoteReadMatcher>> queries = new ArrayList<>();
        for (MetricSelector selector : options.metrics()) {
            List<LabelMatcher> extra = pushedMatchersIfSelected(selector);
            if (extra != null) {
                queries.add(selector.remoteMatchers(PrometheusSourceOptions.METRICS, extra));
            }
        }
        return queries;
    }

    /** The pushed matchers to add to {@code selector}, or null when a pushed {@code metric} filter excludes it. */
    private List<LabelMatcher> pushedMatchersIfSelected(MetricSelector selector) {
        if (metricNames == null) {
            return matchers;
        }
        if (selector.name() != null) {
            return metricNames.contains(selector.name()) ? matchers : null;
        }
        if (metricNames.isEmpty()) {
            return null;
        }
        List<LabelMatcher> withName = new ArrayList<>(matchers);
        withName.add(LabelMatcher.in(SeriesRowValues.NAME_LABEL, new ArrayList<>(metricNames)));
        return withName;
    }
}
