package io.tributary.python;

import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/**
 * Python worker metrics of this JVM, in the default simpleclient registry (Tributary's relocated copy in the plugin
 * jar), which the plugin ships from every executor to the driver's {@code /metrics}.
 */
final class PythonWorkerMetrics {
    static final Counter STARTED = Counter.build()
            .name("tributary_python_workers_started_total")
            .help("Python worker processes started (and answering)")
            .register();
    static final Gauge BUSY = Gauge.build()
            .name("tributary_python_workers_busy")
            .help("Python workers running a task now")
            .register();
    static final Counter RESTARTED = Counter.build()
            .name("tributary_python_workers_restarted_total")
            .help("Python workers stopped while running a task (script error, crash, timeout, cancelled task);"
                    + " the next task starts a new one")
            .register();

    private PythonWorkerMetrics() {}
}
