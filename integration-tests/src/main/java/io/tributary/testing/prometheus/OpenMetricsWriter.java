package io.tributary.testing.prometheus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Streams a {@link NodeMemoryHistory} as OpenMetrics text in the shape promtool 2.42's backfiller needs: one
 * {@code # TYPE} line per family followed by all of that family's samples (families must be contiguous), each
 * series' samples in time order (the block writer rejects out-of-order samples), timestamps in seconds, and
 * {@code # EOF} last. Nothing is held in memory beyond one line.
 */
final class OpenMetricsWriter {
    private static final int BUFFER_BYTES = 1 << 20;

    private final NodeMemoryHistory history;

    OpenMetricsWriter(NodeMemoryHistory history) {
        this.history = history;
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), BUFFER_BYTES)) {
            String family = null;
            for (NodeMemoryHistory.Series series : history.series()) {
                if (!series.family().equals(family)) {
                    family = series.family();
                    out.write("# TYPE " + family + " " + series.type() + "\n");
                }
                writeSeries(out, series);
            }
            out.write("# EOF\n");
        }
    }

    private void writeSeries(Writer out, NodeMemoryHistory.Series series) throws IOException {
        String prefix = series.metric() + labelBlock(series.labels()) + " ";
        StringBuilder line = new StringBuilder(128);
        for (long i = 0; i < history.sampleCount(); i++) {
            if (!history.hasSample(series, i)) {
                continue;
            }
            line.setLength(0);
            line.append(prefix);
            appendValue(line, history.value(series, i));
            line.append(' ')
                    .append(PrometheusTime.seconds(history.timestamp(i).toEpochMilli()))
                    .append('\n');
            out.append(line);
        }
    }

    private static String labelBlock(Map<String, String> labels) {
        StringBuilder block = new StringBuilder("{");
        labels.forEach((name, value) -> {
            if (block.length() > 1) {
                block.append(',');
            }
            block.append(name).append("=\"").append(escape(value)).append('"');
        });
        return block.append('}').toString();
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Integers without a decimal point (all generated values are whole), and OpenMetrics' names for non-finites. */
    private static void appendValue(StringBuilder line, double value) {
        if (Double.isNaN(value)) {
            line.append("NaN");
        } else if (value == Double.POSITIVE_INFINITY) {
            line.append("+Inf");
        } else if (value == Double.NEGATIVE_INFINITY) {
            line.append("-Inf");
        } else if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
            line.append((long) value);
        } else {
            line.append(value);
        }
    }
}
