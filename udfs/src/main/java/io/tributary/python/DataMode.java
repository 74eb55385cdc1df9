package io.tributary.python;

import java.util.Locale;

/** How a transform's script meets its input; the values of Byzer's {@code #%dataMode} annotation. */
public enum DataMode {
    /** The script runs once over the whole input, streamed to one worker (Byzer's default). */
    MODEL,
    /** The script runs once per input partition, in parallel on the executors ({@code foreach}, {@code map_iter}). */
    DATA;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
