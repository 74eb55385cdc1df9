package io.tributary.prometheus;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The per-series part of a row (metric name, labels map without {@code __name__}, label columns), converted to
 * Spark's internal values once per series rather than once per sample.
 */
final class SeriesRowValues {
  static final String NAME_LABEL = "__name__";

  final UTF8String metric;
  final MapData labels;
  final UTF8String[] labelColumnValues;

  private SeriesRowValues(UTF8String metric, MapData labels, UTF8String[] labelColumnValues) {
    this.metric = metric;
    this.labels = labels;
    this.labelColumnValues = labelColumnValues;
  }

  static SeriesRowValues of(Map<String, String> seriesLabels, RowColumns columns) {
    int count = seriesLabels.containsKey(NAME_LABEL) ? seriesLabels.size() - 1 : seriesLabels.size();
    Object[] keys = new Object[count];
    Object[] values = new Object[count];
    int i = 0;
    for (Map.Entry<String, String> label : seriesLabels.entrySet()) {
      if (!label.getKey().equals(NAME_LABEL)) {
        keys[i] = UTF8String.fromString(label.getKey());
        values[i] = UTF8String.fromString(label.getValue());
        i++;
      }
    }
    UTF8String[] labelColumnValues = new UTF8String[columns.size()];
    for (int column = 0; column < columns.size(); column++) {
      if (columns.kind(column) == RowColumns.Kind.LABEL) {
        String value = seriesLabels.get(columns.labelName(column));
        labelColumnValues[column] = value == null ? null : UTF8String.fromString(value);
      }
    }
    String name = seriesLabels.get(NAME_LABEL);
    return new SeriesRowValues(name == null ? null : UTF8String.fromString(name),
        ArrayBasedMapData.apply(keys, values), labelColumnValues);
  }

  /** Writes the per-series columns of a row; the caller writes timestamp and values. */
  void writeInto(InternalRow row, RowColumns columns) {
    for (int column = 0; column < columns.size(); column++) {
      switch (columns.kind(column)) {
        case METRIC: row.update(column, metric); break;
        case LABELS: row.update(column, labels); break;
        case LABEL: row.update(column, labelColumnValues[column]); break;
        default: break;
      }
    }
  }
}
