package io.tributary.prometheus;

import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.SpecificInternalRow;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What each column of the (pruned) read schema holds, resolved once per reader so that the per-sample loop only
 * switches on a small enum. Unused columns are never materialised because they are not in the read schema.
 */
final class RowColumns {
    /**
     * LABELS_JSON: the labels column as a JSON string (labelsFormat=json). METRIC_VALUE and METRIC_HISTOGRAM: a
     * layout=wide metric's DOUBLE or histogram column.
     */
    enum Kind {
        METRIC,
        LABELS,
        LABELS_JSON,
        LABEL,
        TIMESTAMP,
        VALUE,
        HISTOGRAM,
        METRIC_VALUE,
        METRIC_HISTOGRAM
    }

    private final StructType readSchema;
    private final Kind[] kinds;
    private final String[] labelNames;
    private final int[] metricIndices;
    /** Null when the read schema has no {@code labels} map column. */
    private final LabelsMapEncoder labelsEncoder;

    private RowColumns(
            StructType readSchema,
            Kind[] kinds,
            String[] labelNames,
            int[] metricIndices,
            LabelsMapEncoder labelsEncoder) {
        this.readSchema = readSchema;
        this.kinds = kinds;
        this.labelNames = labelNames;
        this.metricIndices = metricIndices;
        this.labelsEncoder = labelsEncoder;
    }

    static RowColumns of(StructType readSchema, List<String> labelColumns, List<String> metricColumns) {
        StructField[] fields = readSchema.fields();
        Kind[] kinds = new Kind[fields.length];
        String[] labelNames = new String[fields.length];
        int[] metricIndices = new int[fields.length];
        LabelsMapEncoder labelsEncoder = null;
        for (int i = 0; i < fields.length; i++) {
            String name = fields[i].name();
            int metric = metricColumns.indexOf(name);
            if (metric >= 0) {
                kinds[i] = fields[i].dataType() instanceof StructType ? Kind.METRIC_HISTOGRAM : Kind.METRIC_VALUE;
                metricIndices[i] = metric;
            } else if (labelColumns.contains(name)) {
                kinds[i] = Kind.LABEL;
                labelNames[i] = name;
            } else {
                kinds[i] = name.equals(PrometheusSchema.LABELS) && fields[i].dataType() instanceof StringType
                        ? Kind.LABELS_JSON
                        : fixedKind(name);
                if (kinds[i] == Kind.LABELS) {
                    labelsEncoder = new LabelsMapEncoder(fields[i].dataType());
                }
            }
        }
        return new RowColumns(readSchema, kinds, labelNames, metricIndices, labelsEncoder);
    }

    private static Kind fixedKind(String name) {
        switch (name) {
            case PrometheusSchema.METRIC:
                return Kind.METRIC;
            case PrometheusSchema.LABELS:
                return Kind.LABELS;
            case PrometheusSchema.TIMESTAMP:
                return Kind.TIMESTAMP;
            case PrometheusSchema.VALUE:
                return Kind.VALUE;
            case PrometheusSchema.HISTOGRAM:
                return Kind.HISTOGRAM;
            default:
                throw new IllegalStateException("column " + name + " is not in the Prometheus schema");
        }
    }

    /**
     * A row of the read schema to fill in place. Its slots are typed, so timestamps and values are set as
     * primitives: a generic row would box two or more numbers per sample.
     */
    InternalRow newRow() {
        return new SpecificInternalRow(readSchema);
    }

    /** Encodes the {@code labels} map of a series; only when the read schema has that column as a map. */
    LabelsMapEncoder labelsEncoder() {
        return labelsEncoder;
    }

    int size() {
        return kinds.length;
    }

    Kind kind(int column) {
        return kinds[column];
    }

    String labelName(int column) {
        return labelNames[column];
    }

    int metricIndex(int column) {
        return metricIndices[column];
    }
}
