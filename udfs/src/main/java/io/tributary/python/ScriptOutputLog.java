package io.tributary.python;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task's output (or a worker's output between tasks), line by line: to the executor log as logger
 * {@code io.tributary.python.PythonWorker} at INFO, within {@link ScriptOutputLimits}, and all of it (up to
 * {@code maxOutputFileBytes}) to the task's output file. The file is kept only when the log lacks something: a cut
 * line or suppressed output, whose log line names it. Fed by the worker's stderr thread only.
 */
final class ScriptOutputLog {
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorker.class);
    private static final AtomicInteger RUNS_OUTSIDE_TASKS = new AtomicInteger();

    private final long pid;
    private final String label;
    private final String fileName;
    private final ScriptOutputLimits limits;
    private final CountDownLatch ended = new CountDownLatch(1);

    private OutputStream file;
    private Path path;
    private String fileProblem;
    private long fileBytes;
    private long bytesNotInFile;
    private long lines;
    private long bytes;
    private long loggedLines;
    private long loggedBytes;
    private boolean cut;
    private boolean suppressed;

    /**
     * @param label what the output belongs to in log lines, e.g. {@code task 17 (stage 3.0, partition 2)}
     * @param fileName the name of its output file, unique in this JVM
     */
    private ScriptOutputLog(long pid, String label, String fileName, ScriptOutputLimits limits) {
        this.pid = pid;
        this.label = label;
        this.fileName = fileName;
        this.limits = limits;
    }

    /** The output of a task run by worker {@code pid}; {@code task} null for a run outside Spark's tasks. */
    static ScriptOutputLog of(TaskContext task, long pid, ScriptOutputLimits limits) {
        if (task == null) {
            // Driver side (runIn=driver), or no Spark at all.
            int run = RUNS_OUTSIDE_TASKS.incrementAndGet();
            return new ScriptOutputLog(
                    pid, "run " + run + " outside Spark tasks", "run-" + run + "-worker-" + pid + ".log", limits);
        }
        String stage = task.stageId() + "." + task.stageAttemptNumber();
        return new ScriptOutputLog(
                pid,
                "task " + task.taskAttemptId() + " (stage " + stage + ", partition " + task.partitionId() + ")",
                "task-" + task.taskAttemptId() + "-stage-" + stage + "-partition-" + task.partitionId() + "-worker-"
                        + pid + ".log",
                limits);
    }

    /** What worker {@code pid} writes between tasks (at start, or from processes a script left running). */
    static ScriptOutputLog outsideTasks(long pid) {
        return new ScriptOutputLog(
                pid,
                "worker " + pid + " outside tasks",
                "worker-" + pid + "-outside-tasks.log",
                ScriptOutputLimits.DEFAULTS);
    }

    /** How many bytes of a line's start the caller keeps for {@link #line}: enough for the log. */
    int lineHeadBytes() {
        return limits.maxLogLineBytes();
    }

    /** Bytes of a line longer than its head, in order; the head was passed first. */
    void lineBytes(byte[] b, int off, int len) {
        toFile(b, off, len);
    }

    /**
     * A whole line (without its newline).
     *
     * @param head its first bytes, at most {@link #lineHeadBytes()}, already passed to {@link #lineBytes} if the
     *     line is longer
     * @param length the line's length in bytes
     * @return the line as the log shows it (cut to {@code maxLogLineBytes}), logged or not
     */
    String line(byte[] head, int headLength, long length) {
        if (length <= headLength) {
            toFile(head, 0, headLength);
        }
        toFile(NEWLINE, 0, 1);
        lines++;
        bytes += length + 1;
        int shown = Utf8.boundary(head, Math.min(headLength, limits.maxLogLineBytes()));
        String text = new String(head, 0, shown, StandardCharsets.UTF_8);
        if (suppressed) {
            return text;
        }
        if (loggedLines >= limits.maxLogLinesPerTask() || loggedBytes + shown > limits.maxLogBytesPerTask()) {
            suppressed = true;
            LOG.info(
                    "python[{}]: [the output of {} is no longer logged: {} lines, {} bytes logged (limits: {} lines, "
                            + "option '{}', {} bytes, option '{}'); {}]",
                    pid,
                    label,
                    loggedLines,
                    loggedBytes,
                    limits.maxLogLinesPerTask(),
                    PythonTransformOptions.MAX_LOG_LINES_PER_TASK,
                    limits.maxLogBytesPerTask(),
                    PythonTransformOptions.MAX_LOG_BYTES_PER_TASK,
                    whereTheRestIs());
            return text;
        }
        loggedLines++;
        loggedBytes += shown;
        if (shown < length) {
            cut = true;
            LOG.info(
                    "python[{}]: {}… [line cut: {} of its {} bytes logged (option '{}'); {}]",
                    pid,
                    text,
                    shown,
                    length,
                    PythonTransformOptions.MAX_LOG_LINE_BYTES,
                    whereTheRestIs());
        } else {
            LOG.info("python[{}]: {}", pid, text);
        }
        return text;
    }

    /** No more output comes: a summary if the log lacks some, the file closed, and kept only then. */
    void end() {
        if (file != null) {
            try {
                if (bytesNotInFile > 0) {
                    file.write(("\n[output cut here: the file holds the first " + fileBytes + " bytes (option '"
                                    + PythonTransformOptions.MAX_OUTPUT_FILE_BYTES + "'); " + bytesNotInFile
                                    + " more bytes were not kept]\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
                file.close();
            } catch (IOException e) {
                fileProblem = "writing " + path + " failed: " + e;
            }
        }
        if (suppressed) {
            LOG.info(
                    "python[{}]: [{} wrote {} lines, {} bytes of output; {} lines were not logged; {}]",
                    pid,
                    label,
                    lines,
                    bytes,
                    lines - loggedLines,
                    fileSummary());
        }
        if (path != null) {
            if (cut || suppressed) {
                ScriptOutputFiles.keep(path, limits.maxOutputFiles());
            } else {
                ScriptOutputFiles.delete(path);
            }
        }
        ended.countDown();
    }

    /** Whether {@link #end} came within {@code wait}. */
    boolean awaitEnd(Duration wait) {
        try {
            return ended.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String whereTheRestIs() {
        if (fileProblem != null) {
            return "the output file could not be kept: " + fileProblem;
        }
        return "the output is kept in " + path + ", up to " + limits.maxOutputFileBytes() + " bytes (option '"
                + PythonTransformOptions.MAX_OUTPUT_FILE_BYTES + "')";
    }

    private String fileSummary() {
        if (fileProblem != null) {
            return "the output file could not be kept: " + fileProblem;
        }
        return bytesNotInFile == 0
                ? "all of it is in " + path
                : path + " holds its first " + fileBytes + " bytes (option '"
                        + PythonTransformOptions.MAX_OUTPUT_FILE_BYTES + "')";
    }

    private void toFile(byte[] b, int off, int len) {
        if (fileProblem != null) {
            return;
        }
        int room = (int) Math.min(len, limits.maxOutputFileBytes() - fileBytes);
        bytesNotInFile += len - room;
        if (room <= 0) {
            return;
        }
        try {
            if (file == null) {
                path = ScriptOutputFiles.directory().resolve(fileName);
                file = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            }
            file.write(b, off, room);
            fileBytes += room;
        } catch (IOException e) {
            fileProblem = (path == null ? "creating it" : "writing " + path) + " failed: " + e;
            LOG.warn("python[{}]: the output of {} is not kept in a file: {}", pid, label, fileProblem);
        }
    }

    private static final byte[] NEWLINE = {'\n'};

    /** Cutting UTF-8 text between characters. */
    static final class Utf8 {
        private Utf8() {}

        /** The largest length up to {@code length} that does not end inside a multi-byte character. */
        static int boundary(byte[] b, int length) {
            int lead = length - 1;
            while (lead >= 0 && length - lead < 4 && (b[lead] & 0xC0) == 0x80) {
                lead--; // a continuation byte, 10xxxxxx
            }
            if (lead < 0) {
                return length;
            }
            int first = b[lead] & 0xFF;
            int size = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
            return length - lead >= size ? length : lead;
        }
    }
}
