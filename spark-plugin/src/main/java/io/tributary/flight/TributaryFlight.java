package io.tributary.flight;

import io.tributary.serving.ServedPartition;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What the driver's Arrow Flight service lists and serves, besides the tables named in
 * {@code spark.tributary.flight.tables}. A served Dataset is planned again for each {@code GetFlightInfo}, so a
 * cached one serves its cached data and an uncached one its source's current data.
 *
 * <pre>{@code
 * TributaryFlight.serve("daily_sales", spark.table("sales").groupBy("day").sum("amount").cache());
 * }</pre>
 */
public final class TributaryFlight {
    private static final Map<String, Dataset<Row>> SERVED = new ConcurrentHashMap<>();
    private static final AtomicInteger OPEN_STREAMS = new AtomicInteger();

    private TributaryFlight() {}

    /** Serves {@code dataset} under {@code name} (replacing what was served under it). */
    public static void serve(String name, Dataset<Row> dataset) {
        Objects.requireNonNull(dataset, "dataset");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("TributaryFlight.serve needs a non-blank name");
        }
        SERVED.put(name, dataset);
    }

    /**
     * Stops listing {@code name}; tickets already handed out stay valid until fetched or expired.
     *
     * @return whether it was served
     */
    public static boolean stopServing(String name) {
        return SERVED.remove(name) != null;
    }

    /** Names served through {@link #serve}, sorted. */
    public static Set<String> servedNames() {
        return new TreeSet<>(SERVED.keySet());
    }

    static Dataset<Row> served(String name) {
        return SERVED.get(name);
    }

    /** Partition streams (DoGet) this JVM is sending now. */
    public static int openStreams() {
        return OPEN_STREAMS.get();
    }

    /**
     * Bytes of partitions this JVM holds in memory for Flight clients and Ray tasks: batches being made, waiting for
     * their client, or being sent.
     */
    public static long servedBytesInMemory() {
        return ServedPartition.memoryInUse();
    }

    static AtomicInteger openStreamCounter() {
        return OPEN_STREAMS;
    }
}
