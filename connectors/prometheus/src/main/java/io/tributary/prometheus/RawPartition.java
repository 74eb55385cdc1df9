package io.tributary.prometheus;

import java.time.Instant;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One partition of a mode=raw scan: the milliseconds {@code [firstMillis, lastMillis]}, both included (as remote
 * read takes them), read as consecutive requests of at most {@code requestMillis} each, one after the other.
 */
final class RawPartition implements InputPartition {
  private static final long serialVersionUID = 1L;

  private final long firstMillis;
  private final long lastMillis;
  private final long requestMillis;

  RawPartition(long firstMillis, long lastMillis, long requestMillis) {
    this.firstMillis = firstMillis;
    this.lastMillis = lastMillis;
    this.requestMillis = requestMillis;
  }

  long firstMillis() { return firstMillis; }
  long lastMillis() { return lastMillis; }
  long requestMillis() { return requestMillis; }

  @Override
  public boolean equals(Object other) {
    return other instanceof RawPartition && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  @Override
  public String toString() {
    return "RawPartition[" + Instant.ofEpochMilli(firstMillis) + ", " + Instant.ofEpochMilli(lastMillis)
        + "] by " + requestMillis + " ms";
  }
}
