package io.tributary.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.util.Utils;

/**
 * Where this JVM keeps the output files of the tasks whose output did not fit into the log:
 * {@code <Spark local dir>/tributary-python-output-<application id>-<executor id>/} (outside Spark,
 * {@code <java.io.tmpdir>/tributary-python-output-pid<JVM pid>/}). At most {@code maxOutputFiles} are kept; the
 * oldest go first.
 */
final class ScriptOutputFiles {
    private static final Deque<Path> KEPT = new ArrayDeque<>();

    private ScriptOutputFiles() {}

    /** The directory for new files, created if needed. */
    static Path directory() throws IOException {
        SparkEnv env = SparkEnv.get();
        Path dir;
        if (env == null) {
            dir = Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "tributary-python-output-pid" + ProcessHandle.current().pid());
        } else {
            SparkConf conf = env.conf();
            dir = Path.of(
                    Utils.getLocalDir(conf), "tributary-python-output-" + conf.getAppId() + "-" + env.executorId());
        }
        return Files.createDirectories(dir);
    }

    /** {@code file} is kept for the user; the oldest kept files beyond {@code maxFiles} are deleted. */
    static void keep(Path file, int maxFiles) {
        Deque<Path> deleted = new ArrayDeque<>();
        synchronized (KEPT) {
            KEPT.addLast(file);
            while (KEPT.size() > maxFiles) {
                deleted.add(KEPT.removeFirst());
            }
        }
        for (Path old : deleted) {
            delete(old);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A file that cannot be deleted stays; it was bounded when written.
        }
    }
}
