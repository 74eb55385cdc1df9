package io.tributary.python;

import java.io.Serializable;

/**
 * How much of a script's output (its prints and whatever else reaches the worker's stderr) goes to the executor log,
 * and how much is kept in the task's output file.
 *
 * @param maxLogLineBytes longer lines are logged cut to this many bytes, with a note of their length
 * @param maxLogLinesPerTask after this many logged lines, the task's further output is not logged
 * @param maxLogBytesPerTask after this many logged bytes, the task's further output is not logged
 * @param maxOutputFileBytes the task's output file keeps this many bytes of its output
 * @param maxOutputFiles output files kept per JVM; older ones are deleted
 */
record ScriptOutputLimits(
        int maxLogLineBytes,
        int maxLogLinesPerTask,
        long maxLogBytesPerTask,
        long maxOutputFileBytes,
        int maxOutputFiles)
        implements Serializable {
    static final int DEFAULT_MAX_LOG_LINE_BYTES = 8 * 1024;
    static final int MAX_LOG_LINE_BYTES_LIMIT = 1024 * 1024;
    static final int DEFAULT_MAX_LOG_LINES_PER_TASK = 10_000;
    static final long DEFAULT_MAX_LOG_BYTES_PER_TASK = 1024 * 1024;
    static final long DEFAULT_MAX_OUTPUT_FILE_BYTES = 16 * 1024 * 1024;
    static final int DEFAULT_MAX_OUTPUT_FILES = 64;

    static final ScriptOutputLimits DEFAULTS = new ScriptOutputLimits(
            DEFAULT_MAX_LOG_LINE_BYTES,
            DEFAULT_MAX_LOG_LINES_PER_TASK,
            DEFAULT_MAX_LOG_BYTES_PER_TASK,
            DEFAULT_MAX_OUTPUT_FILE_BYTES,
            DEFAULT_MAX_OUTPUT_FILES);
}
