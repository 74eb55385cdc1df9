package io.tributary.prometheus;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of a Prometheus read. layout=long: {@code metric, labels, <labelColumns>, timestamp, value,
 * histogram}; layout=wide: {@code labels, <labelColumns>, timestamp, <one column per metric>}, DOUBLE, or the
 * histogram struct for the metrics of {@code histogramMetrics}. {@code labels} is a map, or a JSON string with
 * labelsFormat=json.
 */
final class PrometheusSchema {
    static final String METRIC = "metric";
    static final String LABELS = "labels";
    static final String TIMESTAMP = "timestamp";
    static final String VALUE = "value";
    static final String HISTOGRAM = "histogram";

    /** One bucket of a native histogram: {@code boundaryRule} as in Prometheus' JSON (0 open left ... 3 closed). */
    static final StructType BUCKET_TYPE = new StructType()
            .add("boundaryRule", DataTypes.IntegerType, false)
            .add("lower", DataTypes.DoubleType, false)
            .add("upper", DataTypes.DoubleType, false)
            .add("count", DataTypes.DoubleType, false);

    /** A native-histogram point: its count, sum and populated buckets. */
    static final StructType HISTOGRAM_TYPE = new StructType()
            .add("count", DataTypes.DoubleType, false)
            .add("sum", DataTypes.DoubleType, false)
            .add("buckets", DataTypes.createArrayType(BUCKET_TYPE, false), false);

    private PrometheusSchema() {}

    static StructType of(PrometheusSourceOptions options) {
        StructType schema = new StructType();
        if (options.layout() == Layout.LONG) {
            schema = schema.add(METRIC, DataTypes.StringType, true);
        }
        schema = schema.add(
                LABELS,
                options.labelsFormat() == LabelsFormat.JSON
                        ? DataTypes.StringType
                        : DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false),
                false);
        for (String label : options.labelColumns()) {
            schema = schema.add(label, DataTypes.StringType, true);
        }
        schema = schema.add(TIMESTAMP, DataTypes.TimestampType, false);
        if (options.layout() == Layout.LONG) {
            // A point is a float sample (value set) or a native histogram (histogram set), never both.
            return schema.add(VALUE, DataTypes.DoubleType, true).add(HISTOGRAM, HISTOGRAM_TYPE, true);
        }
        for (MetricSelector metric : options.metrics()) {
            DataType type = options.answers().histogramMetrics().contains(metric.name())
                    ? HISTOGRAM_TYPE
                    : DataTypes.DoubleType;
            schema = schema.add(metric.name(), type, true);
        }
        return schema;
    }
}
