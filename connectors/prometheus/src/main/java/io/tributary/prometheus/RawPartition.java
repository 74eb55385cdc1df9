package io.tributary.prometheus;

import java.time.Instant;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One partition of a mode=raw scan: the milliseconds {@code [firstMillis, lastMillis]}, both included (as remote
 * read takes them), read as consecutive requests of at most {@code requestMillis} each, one after the other.
 */
record RawPartition(long firstMillis, long lastMillis, long requestMillis) implements InputPartition {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "RawPartition[" + Instant.ofEpochMilli(firstMillis) + ", " + Instant.ofEpochMilli(lastMillis) + "] by "
                + requestMillis + " ms";
    }
}
