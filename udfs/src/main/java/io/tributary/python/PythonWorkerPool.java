package io.tributary.python;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The JVM's idle Python workers, per environment. A task borrows one (or starts one), and gives it back only if it
 * finished its task cleanly; at most {@code maxIdle} per environment are kept, the rest are stopped. So the number
 * of live workers is bounded by the tasks running at once plus the idle limit.
 */
final class PythonWorkerPool {
    private static final PythonWorkerPool SHARED = new PythonWorkerPool();

    private final Map<PythonEnvironment, Deque<PythonWorker>> idle = new HashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SHARED::stopAll, "tributary-python-pool-shutdown"));
    }

    static PythonWorkerPool shared() {
        return SHARED;
    }

    PythonWorker borrow(PythonEnvironment environment) {
        synchronized (this) {
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
        }
        worker.destroy();
    }

    synchronized int idleCount(PythonEnvironment environment) {
        Deque<PythonWorker> workers = idle.get(environment);
        return workers == null ? 0 : workers.size();
    }

    synchronized void stopAll() {
        idle.values().forEach(workers -> workers.forEach(PythonWorker::destroy));
        idle.clear();
    }
}
