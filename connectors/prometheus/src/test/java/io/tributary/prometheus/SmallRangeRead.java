package io.tributary.prometheus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.StructType;

/**
 * A small range read for the tests that build rows without a server: 10 s to 11 s at a 1 s step (two points), its
 * options as a user passes them and the schema they give, and the wide layout's rows over its two points.
 */
final class SmallRangeRead {
    private SmallRangeRead() {}

    /** The read's options: url, start, end and step, then {@code pairs} (name, value, ...), later ones winning. */
    static Map<String, String> options(String... pairs) {
        Map<String, String> options =
                new HashMap<>(Map.of("url", "http://127.0.0.1:9090", "start", "10", "end", "11", "step", "1s"));
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return options;
    }

    static PrometheusSourceOptions parse(Map<String, String> options) {
        return PrometheusSourceOptions.from(options, Map.of(), PrometheusSourceOptionsTest.NOW);
    }

    /** The schema of {@link #options} with {@code pairs}. */
    static StructType schema(String... pairs) {
        return PrometheusSchema.of(parse(options(pairs)));
    }

    /** The wide layout's rows of {@code metrics} (in the schema's order) over both points, one window. */
    static WideLayoutRows wideRows(StructType schema, List<String> metrics, Set<String> histogramMetrics) {
        return new WideLayoutRows(
                RowColumns.of(schema, List.of(), metrics),
                new TimeGrid(10_000, 11_000, 1000),
                0,
                2,
                metrics,
                histogramMetrics);
    }
}
