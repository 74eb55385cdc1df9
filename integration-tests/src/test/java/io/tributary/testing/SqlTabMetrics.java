package io.tributary.testing;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.ui.SQLAppStatusStore;
import org.apache.spark.sql.execution.ui.SQLExecutionUIData;
import org.apache.spark.sql.execution.ui.SQLPlanMetric;
import scala.jdk.javaapi.CollectionConverters;

/** The metrics the Spark UI's SQL tab shows for the session's latest SQL execution, as a user reads them. */
public final class SqlTabMetrics {
    private SqlTabMetrics() {}

    /** Name → shown value of the latest execution's metrics whose names start with {@code prefix}. */
    public static Map<String, String> ofLatestExecution(SparkSession spark, String prefix) throws TimeoutException {
        spark.sparkContext().listenerBus().waitUntilEmpty();
        SQLAppStatusStore store = spark.sharedState().statusStore();
        SQLExecutionUIData execution = CollectionConverters.asJava(store.executionsList()).stream()
                .max(Comparator.comparingLong(SQLExecutionUIData::executionId))
                .orElseThrow();
        Map<Object, String> values = CollectionConverters.asJava(store.executionMetrics(execution.executionId()));
        Map<String, String> byName = new HashMap<>();
        for (SQLPlanMetric metric : CollectionConverters.asJava(execution.metrics())) {
            if (metric.name().startsWith(prefix)) {
                byName.put(metric.name(), values.get(metric.accumulatorId()));
            }
        }
        return byName;
    }
}
