package io.tributary.python;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An executor that never ran Python stops its workers as Spark stops a context left running: from a JVM shutdown
 * hook, where a new shutdown hook (the pool's own) cannot be added.
 */
class StopWorkersAtShutdownTest {
    /** Calls {@link PythonTransform#stopWorkers()} from a shutdown hook and prints how that went. */
    public static final class StopInShutdownHook {
        public static void main(String[] args) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    PythonTransform.stopWorkers();
                    System.out.println("stopped");
                } catch (Throwable e) {
                    System.out.println("failed: " + e);
                }
            }));
        }
    }

    @Test
    void stoppingWorkersThatNeverStartedWorksInTheJvmsShutdown() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(
                        List.of(java, "-cp", System.getProperty("java.class.path"), StopInShutdownHook.class.getName()))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        assertEquals("stopped\n", output);
        assertEquals(0, process.exitValue());
    }
}
