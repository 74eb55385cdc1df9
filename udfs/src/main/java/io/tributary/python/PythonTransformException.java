package io.tributary.python;

/**
 * A Python transform failed on an executor: the script raised (the message carries its traceback), a returned row
 * did not match the declared schema, or the worker process died or exceeded the timeout.
 */
public final class PythonTransformException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PythonTransformException(String message) {
        super(message);
    }

    PythonTransformException(String message, Throwable cause) {
        super(message, cause);
    }
}
