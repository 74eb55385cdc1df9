package io.tributary.python;

import java.util.Locale;

/**
 * Where a {@code dataMode=model} script runs; the values of Byzer's {@code #%runIn} annotation. With
 * {@code dataMode=data} the script always runs per partition on the executors, as Byzer runs {@code map_iter} and
 * {@code foreach} functions where the data is.
 */
public enum RunIn {
    /**
     * In a Python worker on the driver, over the input fetched to the driver one partition at a time. Only the driver
     * needs the Python environment (why Byzer recommends it); the rows the script returns are held on the driver.
     */
    DRIVER,
    /** In a Python worker beside the one task that reads the whole input (the default). */
    EXECUTOR;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
