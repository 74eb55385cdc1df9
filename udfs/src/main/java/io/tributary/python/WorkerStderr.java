package io.tributary.python;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a worker's stderr (its scripts' prints, and whatever the processes they start write there) on its own
 * thread, splits it into lines and hands each to the output log of the task it belongs to. A task's output ends
 * where the worker writes the end-of-task line, before it answers the task; output outside tasks goes to a log of
 * its own. Lines are never held whole: a line longer than what the log shows streams to the task's file. The last
 * lines (cut like the log's) are kept for error messages.
 */
final class WorkerStderr implements Runnable {
    /** What {@code tributary_runtime.worker.END_OF_TASK_OUTPUT} writes, between its newlines. */
    static final byte[] END_OF_TASK = "\0tributary:end-of-task-output\0".getBytes(StandardCharsets.US_ASCII);

    private static final int LINES_KEPT = 40;

    private final InputStream stderr;
    private final long pid;
    private final AtomicReference<ScriptOutputLog> current = new AtomicReference<>();
    private final Deque<String> tail = new ArrayDeque<>();
    private ScriptOutputLog outsideTasks;

    // The line being read, and the log it goes to.
    private ScriptOutputLog lineLog;
    private byte[] head = new byte[0];
    private int headLength;
    private long lineLength;
    /** An empty line is held until the next: the end-of-task line's leading newline may have made it. */
    private ScriptOutputLog heldEmptyLine;

    WorkerStderr(InputStream stderr, long pid) {
        this.stderr = stderr;
        this.pid = pid;
    }

    /** The output from now until the end-of-task line goes to {@code log}. */
    void startTask(ScriptOutputLog log) {
        current.set(log);
    }

    @Override
    public void run() {
        byte[] buffer = new byte[1 << 16];
        try {
            int n;
            while ((n = stderr.read(buffer)) >= 0) {
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        append(buffer, start, i - start);
                        endLine();
                        start = i + 1;
                    }
                }
                append(buffer, start, n - start);
            }
        } catch (IOException e) {
            // The process is gone; what it wrote was handled.
        } finally {
            if (lineLength > 0) {
                endLine();
            }
            flushHeldEmptyLine();
            endLog(current.get());
            if (outsideTasks != null) {
                outsideTasks.end();
            }
        }
    }

    private void append(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        if (lineLength == 0) {
            lineLog = currentLog();
            int capacity = Math.max(lineLog.lineHeadBytes(), END_OF_TASK.length);
            if (head.length != capacity) {
                head = new byte[capacity];
            }
        }
        int toHead = Math.min(len, head.length - headLength);
        if (toHead > 0) {
            System.arraycopy(b, off, head, headLength, toHead);
            headLength += toHead;
        }
        long before = lineLength;
        lineLength += len;
        if (lineLength > head.length) {
            if (before <= head.length) {
                // The line outgrew its head (so it is not the end-of-task line): stream it from here on.
                flushHeldEmptyLine();
                lineLog.lineBytes(head, 0, headLength);
            }
            lineLog.lineBytes(b, off + toHead, len - toHead);
        }
    }

    private void endLine() {
        if (lineLength == 0) {
            flushHeldEmptyLine();
            heldEmptyLine = currentLog();
            return;
        }
        if (lineLength == END_OF_TASK.length
                && Arrays.equals(head, 0, headLength, END_OF_TASK, 0, END_OF_TASK.length)) {
            heldEmptyLine = null;
            ScriptOutputLog task = current.get();
            if (task != null && current.compareAndSet(task, null)) {
                task.end();
            }
        } else {
            flushHeldEmptyLine();
            keep(lineLog.line(head, headLength, lineLength));
        }
        headLength = 0;
        lineLength = 0;
    }

    private void flushHeldEmptyLine() {
        if (heldEmptyLine != null) {
            keep(heldEmptyLine.line(head, 0, 0));
            heldEmptyLine = null;
        }
    }

    private ScriptOutputLog currentLog() {
        ScriptOutputLog task = current.get();
        if (task != null) {
            return task;
        }
        if (outsideTasks == null) {
            outsideTasks = ScriptOutputLog.outsideTasks(pid);
        }
        return outsideTasks;
    }

    private static void endLog(ScriptOutputLog log) {
        if (log != null) {
            log.end();
        }
    }

    private void keep(String line) {
        synchronized (tail) {
            if (tail.size() == LINES_KEPT) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }

    /** The last lines, for error messages. */
    String tailText() {
        synchronized (tail) {
            if (tail.isEmpty()) {
                return "; it wrote nothing to stderr";
            }
            return "; last stderr lines:\n  " + String.join("\n  ", tail);
        }
    }
}
