package io.tributary.prometheus;

import io.tributary.prometheus.client.NativeHistogram;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;

/** A native histogram as the internal value of a {@link PrometheusSchema#HISTOGRAM_TYPE} column. */
final class HistogramValues {
    private HistogramValues() {}

    static InternalRow toRow(NativeHistogram histogram) {
        Object[] buckets = new Object[histogram.buckets()];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new GenericInternalRow(new Object[] {
                histogram.boundaryRule(i), histogram.lower(i), histogram.upper(i), histogram.bucketCount(i)
            });
        }
        return new GenericInternalRow(new Object[] {histogram.count(), histogram.sum(), new GenericArrayData(buckets)});
    }
}
