package io.tributary.spark;

import io.tributary.flight.FlightConf;
import io.tributary.flight.FlightMessages;
import io.tributary.flight.FlightService;
import io.tributary.prometheus.client.PrometheusClientMetrics;
import io.tributary.python.PythonTransform;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this executor's connector metrics to the driver when the driver serves them
 * ({@code spark.tributary.metrics.port} set): after every task, and every {@code spark.tributary.metrics.pushInterval}
 * in between, so that long tasks show progress. When the executor stops, stops its Python workers (before the JVM's
 * exit, which a cluster manager may cut short).
 */
final class TributaryExecutorPlugin implements ExecutorPlugin {
    private static final String PUSHER_THREAD = "tributary-metrics-push";
    private static final Logger LOG = LoggerFactory.getLogger(TributaryExecutorPlugin.class);

    private PluginContext context;
    private ScheduledExecutorService pusher;
    /** This executor's Flight service, when it started one (in local mode the driver's serves it). */
    private FlightService flight;

    @Override
    public void init(PluginContext context, Map<String, String> extraConf) {
        this.context = context;
        MetricsConf conf = MetricsConf.from(context.conf());
        if (conf.served()) {
            pusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, PUSHER_THREAD);
                thread.setDaemon(true);
                return thread;
            });
            long interval = conf.pushInterval.toMillis();
            pusher.scheduleWithFixedDelay(this::push, interval, interval, TimeUnit.MILLISECONDS);
        }
        FlightConf flightConf = FlightConf.from(name -> context.conf().get(name, null), System::getenv);
        if (flightConf.enabled()) {
            // Tasks serving Flight partitions tell the driver where each is served as soon as it starts.
            FlightMessages.sendThrough(message -> {
                try {
                    context.send(message);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        if (flightConf.enabled() && !FlightService.isRunning()) {
            // Not context.hostname(): an executor's RPC environment has no address of its own.
            flight = FlightService.start(
                    flightConf,
                    false,
                    () -> org.apache.spark.SparkEnv.get()
                            .blockManager()
                            .blockManagerId()
                            .host());
        }
    }

    @Override
    public void onTaskSucceeded() {
        pushSoon();
    }

    @Override
    public void onTaskFailed(TaskFailedReason failureReason) {
        pushSoon();
    }

    /** Off the task thread: a task's end must not wait for the driver. */
    private void pushSoon() {
        if (pusher != null && !pusher.isShutdown()) {
            pusher.execute(this::push);
        }
    }

    private void push() {
        try {
            context.send(
                    new Object[] {context.executorID(), MetricsSnapshot.capture(PrometheusClientMetrics.registry())});
        } catch (Exception e) {
            // Metrics must never fail a task; the next push carries the totals anyway (counters are cumulative).
            LOG.warn("Could not send Tributary metrics to the driver: {}", e.toString());
        }
    }

    @Override
    public void shutdown() {
        PythonTransform.stopWorkers();
        if (pusher != null) {
            pusher.shutdownNow();
            push();
        }
        if (flight != null) {
            flight.close();
        }
    }
}
