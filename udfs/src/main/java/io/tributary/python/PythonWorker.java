package io.tributary.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-lived Python process running {@code tributary_runtime}, the leader of its own process group. Its stdin and
 * stdout carry the protocol (frames and Arrow IPC streams); its stderr (including the scripts' prints) goes to each
 * task's {@link ScriptOutputLog} and the last lines are kept for error messages. Used by one task at a time; stopping
 * it stops every process its scripts started.
 */
final class PythonWorker {
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorker.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long HELLO_TIMEOUT_SECONDS = 60;
    /** Bytes buffered on each of the protocol's pipes. */
    static final int PIPE_BUFFER = 1 << 16;

    private final Process process;
    private final PythonEnvironment environment;
    private final DataInputStream fromWorker;
    private final OutputStream toWorker;
    private final WorkerStderr stderr;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean destroyed = new AtomicBoolean();

    private PythonWorker(Process process, PythonEnvironment environment) {
        this.process = process;
        this.environment = environment;
        this.fromWorker = new DataInputStream(new BufferedInputStream(process.getInputStream(), PIPE_BUFFER));
        this.toWorker = new BufferedOutputStream(process.getOutputStream(), PIPE_BUFFER);
        this.stderr = new WorkerStderr(process.getErrorStream(), process.pid());
        Thread drain = new Thread(stderr, "tributary-python-stderr-" + process.pid());
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Starts a worker and waits for its hello.
     *
     * @throws IllegalArgumentException when the interpreter cannot be started or lacks pyarrow, with the fix
     */
    static PythonWorker start(PythonEnvironment environment, Path runtimeDir) {
        ProcessBuilder builder = new ProcessBuilder(environment.executable(), "-m", "tributary_runtime");
        Map<String, String> env = builder.environment();
        String pythonPath = env.get("PYTHONPATH");
        env.put(
                "PYTHONPATH",
                runtimeDir
                        + (pythonPath == null || pythonPath.isEmpty() ? "" : java.io.File.pathSeparator + pythonPath));
        env.put("PYTHONUNBUFFERED", "1");
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        environment
                .bin()
                .ifPresent(bin -> env.put("PATH", bin + java.io.File.pathSeparator + env.getOrDefault("PATH", "")));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Cannot start the Python interpreter '" + environment.executable()
                            + "' (" + e.getMessage() + "). Set " + PythonTransformOptions.EXECUTABLE_CONF
                            + " to a python3 that has pyarrow (e.g. /usr/bin/python3 or a virtualenv's bin/python), or "
                            + "the transform's '" + PythonTransformOptions.ENV + "' option to a virtualenv or conda "
                            + "environment",
                    e);
        }
        PythonWorker worker = new PythonWorker(process, environment);
        worker.awaitHello();
        PythonWorkerMetrics.STARTED.inc();
        return worker;
    }

    private void awaitHello() {
        Thread killer = new Thread(
                () -> {
                    try {
                        if (!process.waitFor(HELLO_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                            process.destroyForcibly();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "tributary-python-hello-" + process.pid());
        killer.setDaemon(true);
        killer.start();
        JsonNode hello;
        try {
            hello = readJsonFrame();
        } catch (IOException e) {
            destroy();
            throw new IllegalArgumentException(
                    "The Python interpreter '" + environment.executable() + "' did not start Tributary's worker: "
                            + describeExit(),
                    e);
        } finally {
            killer.interrupt();
        }
        if (!hello.path("ok").asBoolean()) {
            destroy();
            throw new IllegalArgumentException(hello.path("error").asText());
        }
        LOG.info(
                "Started Python worker pid {} ({}, Python {}, pyarrow {})",
                process.pid(),
                environment.executable(),
                hello.path("python").asText(),
                hello.path("pyarrow").asText());
    }

    JsonNode readJsonFrame() throws IOException {
        int length = fromWorker.readInt();
        byte[] payload = new byte[length];
        fromWorker.readFully(payload);
        return JSON.readTree(payload);
    }

    void writeFrame(byte[] payload) throws IOException {
        toWorker.write(new byte[] {
            (byte) (payload.length >>> 24),
            (byte) (payload.length >>> 16),
            (byte) (payload.length >>> 8),
            (byte) payload.length
        });
        toWorker.write(payload);
    }

    InputStream input() {
        return fromWorker;
    }

    OutputStream output() {
        return toWorker;
    }

    long pid() {
        return process.pid();
    }

    PythonEnvironment environment() {
        return environment;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The worker now runs a task (it was borrowed from the pool). */
    void leaseStarted() {
        if (!busy.getAndSet(true)) {
            PythonWorkerMetrics.BUSY.inc();
        }
    }

    /** The task is over, cleanly or not; returns whether the worker was running one. */
    boolean leaseEnded() {
        boolean wasBusy = busy.getAndSet(false);
        if (wasBusy) {
            PythonWorkerMetrics.BUSY.dec();
        }
        return wasBusy;
    }

    /** The task's output, from now until the worker ends it, goes to {@code log}. */
    void startTaskOutput(ScriptOutputLog log) {
        stderr.startTask(log);
    }

    /** Stops the worker and every process its scripts started (its process group and its descendants). */
    void destroy() {
        if (leaseEnded()) {
            // Stopped in the middle of a task (failure, timeout, cancelled task); idle or surplus workers don't count.
            PythonWorkerMetrics.RESTARTED.inc();
        }
        if (!destroyed.getAndSet(true)) {
            ProcessTree.kill(process.toHandle());
        }
    }

    /** Exit code (waiting briefly for it) and the last lines the process wrote to stderr. */
    String describeExit() {
        String status;
        try {
            status = process.waitFor(5, TimeUnit.SECONDS)
                    ? "exited with code " + process.exitValue()
                    : "is still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "state unknown (interrupted)";
        }
        return "Python worker pid " + process.pid() + " (" + environment.executable() + ") " + status
                + stderrTailText();
    }

    String stderrTailText() {
        return stderr.tailText();
    }

    static boolean isEndOfStream(Throwable e) {
        return e instanceof EOFException || e instanceof IOException;
    }
}
