package io.tributary.testing;

import java.util.ArrayList;
import java.util.List;

/** The messages of an exception and all its causes, for asserting on what a user would read in a Spark failure. */
public final class CauseMessages {
    private CauseMessages() {}

    /** Every message in the cause chain, outermost first, joined by {@code " | "}. */
    public static String of(Throwable error) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = error; t != null; t = t.getCause()) {
            messages.add(String.valueOf(t.getMessage()));
        }
        return String.join(" | ", messages);
    }
}
