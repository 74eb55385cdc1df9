package io.tributary.prometheus;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of a Prometheus read. layout=long: {@code metric, labels, <labelColumns>, timestamp, value};
 * layout=wide: {@code labels, <labelColumns>, timestamp, <one DOUBLE column per metric>}.
 */
final class PrometheusSchema {
  static final String METRIC = "metric";
  static final String LABELS = "labels";
  static final String TIMESTAMP = "timestamp";
  static final String VALUE = "value";

  private PrometheusSchema() {}

  static StructType of(PrometheusSourceOptions options) {
    StructType schema = new StructType();
    if (options.layout() == Layout.LONG) {
      schema = schema.add(METRIC, DataTypes.StringType, true);
    }
    schema = schema.add(LABELS, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false), false);
    for (String label : options.labelColumns()) {
      schema = schema.add(label, DataTypes.StringType, true);
    }
    schema = schema.add(TIMESTAMP, DataTypes.TimestampType, false);
    if (options.layout() == Layout.LONG) {
      return schema.add(VALUE, DataTypes.DoubleType, false);
    }
    for (MetricSelector metric : options.metrics()) {
      schema = schema.add(metric.name(), DataTypes.DoubleType, true);
    }
    return schema;
  }
}
