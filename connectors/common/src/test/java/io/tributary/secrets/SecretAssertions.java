package io.tributary.secrets;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Asserts that a secret appears nowhere a user or a log could read it in an exception. */
public final class SecretAssertions {
    private SecretAssertions() {}

    /**
     * Checks every message and {@code toString()} of the cause chain, and the printed stack trace, which also
     * carries suppressed exceptions.
     */
    public static void assertNotShown(String secret, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in the message of " + t.getClass());
            assertFalse(t.toString().contains(secret), "secret in " + t.getClass());
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(secret), "secret in the stack trace");
    }
}
