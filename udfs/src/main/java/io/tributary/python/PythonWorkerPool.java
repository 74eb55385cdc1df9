package io.tributary.python;

import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;

/**
 * The JVM's Python workers, per environment. A task borrows an idle one (or starts one), and gives it back only if
 * it finished its task cleanly; at most {@code maxIdle} per environment are kept, the rest are stopped. So the number
 * of live workers is bounded by the tasks running at once plus the idle limit. All workers, idle or busy, are stopped
 * when the SparkContext that used them stops and when the JVM exits.
 */
final class PythonWorkerPool {
    private static WeakReference<SparkContext> watched = new WeakReference<>(null);
    /** Whether {@link Shared} exists: stopping must not create it, as it may run in the JVM's own shutdown. */
    private static volatile boolean started;

    private final Map<PythonEnvironment, Deque<PythonWorker>> idle = new HashMap<>();
    /** Idle and busy: the ones to stop when the application or the JVM ends. */
    private final Set<PythonWorker> live = new LinkedHashSet<>();

    /**
     * The JVM's pool, made when a task first needs a worker, not when an executor that never ran Python stops: its
     * shutdown hook cannot be added while the JVM shuts down (Spark stops a context left running from a hook).
     */
    private static final class Shared {
        static final PythonWorkerPool POOL = new PythonWorkerPool();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(POOL::stopAll, "tributary-python-pool-shutdown"));
            started = true;
        }
    }

    static PythonWorkerPool shared() {
        return Shared.POOL;
    }

    /** Stops the JVM's workers, idle or busy, if it ever started the pool. */
    static void stopAllStarted() {
        if (started) {
            Shared.POOL.stopAll();
        }
    }

    /**
     * Stops the JVM's workers when {@code context} stops (its application end), so that they do not outlive
     * {@code spark.stop()} in a driver (or local-mode) JVM that goes on. Executor JVMs end with their application.
     */
    static synchronized void stopWorkersWhenStopped(SparkContext context) {
        if (watched.get() == context) {
            return;
        }
        watched = new WeakReference<>(context);
        context.addSparkListener(new SparkListener() {
            @Override
            public void onApplicationEnd(SparkListenerApplicationEnd end) {
                stopAllStarted();
            }
        });
    }

    PythonWorker borrow(PythonEnvironment environment) {
        synchronized (this) {
            live.removeIf(worker -> !worker.isAlive());
            Deque<PythonWorker> workers = idle.get(environment);
            while (workers != null && !workers.isEmpty()) {
                PythonWorker worker = workers.pollFirst();
                if (worker.isAlive()) {
                    worker.leaseStarted();
                    return worker;
                }
            }
        }
        // Started outside the lock: starting takes a while and other tasks may be borrowing meanwhile.
        PythonWorker started = PythonWorker.start(environment, PythonRuntimeFiles.directory());
        started.leaseStarted();
        synchronized (this) {
            live.add(started);
        }
        return started;
    }

    void giveBack(PythonWorker worker, int maxIdle) {
        worker.leaseEnded();
        synchronized (this) {
            Deque<PythonWorker> workers = idle.computeIfAbsent(worker.environment(), e -> new ArrayDeque<>());
            if (worker.isAlive() && workers.size() < maxIdle) {
                workers.addFirst(worker);
                return;
            }
            live.remove(worker);
        }
        worker.destroy();
    }

    synchronized int idleCount(PythonEnvironment environment) {
        Deque<PythonWorker> workers = idle.get(environment);
        return workers == null ? 0 : workers.size();
    }

    /** Stops every worker, idle or running a task (whose task then fails). */
    void stopAll() {
        List<PythonWorker> stopping;
        synchronized (this) {
            stopping = new ArrayList<>(live);
            live.clear();
            idle.clear();
        }
        stopping.forEach(PythonWorker::destroy);
    }
}
