package io.tributary.prometheus;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The per-series part of a row (metric name, labels without {@code __name__} as a map or a JSON string, label
 * columns), converted to Spark's internal values once per series rather than once per sample; every sample of
 * the series then refers to the same values.
 */
final class SeriesRowValues {
    static final String NAME_LABEL = "__name__";

    final UTF8String metric;
    /** A {@link org.apache.spark.sql.catalyst.util.MapData}, a {@link UTF8String} of JSON, or null when the read schema has no labels column. */
    final Object labels;

    final UTF8String[] labelColumnValues;

    private SeriesRowValues(UTF8String metric, Object labels, UTF8String[] labelColumnValues) {
        this.metric = metric;
        this.labels = labels;
        this.labelColumnValues = labelColumnValues;
    }

    static SeriesRowValues of(Map<String, String> seriesLabels, RowColumns columns) {
        Object labels = null;
        UTF8String[] labelColumnValues = new UTF8String[columns.size()];
        for (int column = 0; column < columns.size(); column++) {
            switch (columns.kind(column)) {
                case LABELS:
                    labels = columns.labelsEncoder().encode(seriesLabels);
                    break;
                case LABELS_JSON:
                    labels = UTF8String.fromString(LabelsFormat.toJson(seriesLabels, NAME_LABEL));
                    break;
                case LABEL: {
                    String value = seriesLabels.get(columns.labelName(column));
                    labelColumnValues[column] = value == null ? null : UTF8String.fromString(value);
                    break;
                }
                default:
                    break;
            }
        }
        String name = seriesLabels.get(NAME_LABEL);
        return new SeriesRowValues(name == null ? null : UTF8String.fromString(name), labels, labelColumnValues);
    }

    /** Writes the per-series columns of a row; the caller writes timestamp and values. */
    void writeInto(InternalRow row, RowColumns columns) {
        for (int column = 0; column < columns.size(); column++) {
            switch (columns.kind(column)) {
                case METRIC:
                    row.update(column, metric);
                    break;
                case LABELS:
                case LABELS_JSON:
                    row.update(column, labels);
                    break;
                case LABEL:
                    row.update(column, labelColumnValues[column]);
                    break;
                default:
                    break;
            }
        }
    }
}
