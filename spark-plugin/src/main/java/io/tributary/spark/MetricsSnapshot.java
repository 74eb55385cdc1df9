package io.tributary.spark;

import io.prometheus.client.Collector;
import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CollectorRegistry;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A registry's samples as plain JDK values (one {@code String[]} per sample), so that the message an executor
 * sends to the driver deserialises there with Spark's own class loader, whatever loaded the plugin jar.
 */
final class MetricsSnapshot {
    private static final String EXECUTOR_LABEL = "executor_id";

    private MetricsSnapshot() {}

    /** Rows: family, type, help, sample name, label names, label values (joined by \u0000), value. */
    static ArrayList<String[]> capture(CollectorRegistry registry) {
        ArrayList<String[]> rows = new ArrayList<>();
        Enumeration<MetricFamilySamples> families = registry.metricFamilySamples();
        while (families.hasMoreElements()) {
            MetricFamilySamples family = families.nextElement();
            for (MetricFamilySamples.Sample sample : family.samples) {
                rows.add(new String[] {
                    family.name,
                    family.type.name(),
                    family.help,
                    sample.name,
                    String.join("\u0000", sample.labelNames),
                    String.join("\u0000", sample.labelValues),
                    Double.toString(sample.value)
                });
            }
        }
        return rows;
    }

    /** Every executor's rows as metric families, each sample labelled with its executor. */
    static List<MetricFamilySamples> merge(Map<String, List<String[]>> rowsByExecutor) {
        Map<String, MetricFamilySamples> families = new LinkedHashMap<>();
        rowsByExecutor.forEach((executor, rows) -> {
            for (String[] row : rows) {
                MetricFamilySamples family = families.computeIfAbsent(
                        row[0],
                        name -> new MetricFamilySamples(
                                name, Collector.Type.valueOf(row[1]), row[2], new ArrayList<>()));
                List<String> names = split(row[4]);
                List<String> values = split(row[5]);
                names.add(EXECUTOR_LABEL);
                values.add(executor);
                family.samples.add(new MetricFamilySamples.Sample(row[3], names, values, Double.parseDouble(row[6])));
            }
        });
        return new ArrayList<>(families.values());
    }

    private static List<String> split(String joined) {
        List<String> parts = new ArrayList<>();
        if (!joined.isEmpty()) {
            parts.addAll(List.of(joined.split("\u0000", -1)));
        }
        return parts;
    }
}
