package io.tributary.prometheus;

import io.tributary.options.OptionReader;
import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options that say what a read accepts from Prometheus' answers, parsed with the others by
 * {@link PrometheusSourceOptions#from}: which layout=wide columns hold native histograms
 * ({@code histogramMetrics}), and whether an answer that warns it may be partial is taken
 * ({@code allowPartialResponse}).
 */
final class PrometheusAnswerOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String HISTOGRAM_METRICS = "histogramMetrics";
    static final String ALLOW_PARTIAL_RESPONSE = "allowPartialResponse";

    private final Set<String> histogramMetrics;
    private final boolean allowPartialResponse;

    private PrometheusAnswerOptions(Set<String> histogramMetrics, boolean allowPartialResponse) {
        this.histogramMetrics = histogramMetrics;
        this.allowPartialResponse = allowPartialResponse;
    }

    /** Reads both options; {@code metrics} are the parsed {@code metrics} selectors (empty with {@code query}). */
    static PrometheusAnswerOptions from(OptionReader lookup, Layout layout, List<MetricSelector> metrics) {
        boolean allowPartial = lookup.getBoolean(ALLOW_PARTIAL_RESPONSE, false);
        String text = lookup.get(HISTOGRAM_METRICS);
        if (text == null) {
            return new PrometheusAnswerOptions(Set.of(), allowPartial);
        }
        if (layout != Layout.WIDE) {
            throw new IllegalArgumentException("Option '" + HISTOGRAM_METRICS + "' applies to layout=wide only;"
                    + " layout=long returns native histograms in its 'histogram' column");
        }
        List<String> names = metrics.stream().map(MetricSelector::name).collect(Collectors.toList());
        Set<String> histograms = new LinkedHashSet<>();
        for (String raw : text.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!names.contains(name)) {
                throw new IllegalArgumentException(
                        "Option '" + HISTOGRAM_METRICS + "' entry '" + name + "' is not a" + " metric of option '"
                                + PrometheusSourceOptions.METRICS + "' (" + String.join(", ", names) + ")");
            }
            if (!histograms.add(name)) {
                throw new IllegalArgumentException("Option '" + HISTOGRAM_METRICS + "' lists '" + name + "' twice");
            }
        }
        return new PrometheusAnswerOptions(Set.copyOf(histograms), allowPartial);
    }

    /** layout=wide: the metrics whose columns hold native histograms; the others are DOUBLE. */
    Set<String> histogramMetrics() {
        return histogramMetrics;
    }
    /** Whether an answer carrying a warning that it may be partial is read instead of failing the read. */
    boolean allowPartialResponse() {
        return allowPartialResponse;
    }

    @Override
    public String toString() {
        return HISTOGRAM_METRICS + "=" + histogramMetrics + ", " + ALLOW_PARTIAL_RESPONSE + "=" + allowPartialResponse;
    }
}
