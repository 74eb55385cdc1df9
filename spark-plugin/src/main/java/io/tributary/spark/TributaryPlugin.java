package io.tributary.spark;

import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Tributary's Spark plugin: {@code --conf spark.plugins=io.tributary.spark.TributaryPlugin}. Executors ship their
 * connector metrics to the driver, which serves them all, labelled by executor, in Prometheus' text format on
 * {@code http://<driver>:<spark.tributary.metrics.port>/metrics}, so one scrape sees the whole application.
 */
public final class TributaryPlugin implements SparkPlugin {
    @Override
    public DriverPlugin driverPlugin() {
        return new TributaryDriverPlugin();
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new TributaryExecutorPlugin();
    }
}
