package io.tributary.flight;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What executors' Flight code tells the driver: where each partition of a pending GetFlightInfo is served, as soon
 * as its first batch is written. In the driver's JVM (local mode) the report is recorded directly; from an
 * executor it travels over the plugin's RPC channel ({@link #sendThrough}, {@link #receive}). A report that cannot
 * be delivered only makes GetFlightInfo wait for the job's end, which returns the same locations.
 */
public final class FlightMessages {
    private static final Logger LOG = LoggerFactory.getLogger(FlightMessages.class);
    private static final Map<String, PendingLocations> PENDING = new ConcurrentHashMap<>();
    private static volatile Consumer<Object> toDriver;

    private FlightMessages() {}

    /** A partition of serving {@code servingId} is served at {@code location}. */
    record PartitionStarted(String servingId, int partition, String location) implements Serializable {}

    /** On an executor: the channel to the driver (the executor plugin's {@code PluginContext.send}). */
    public static void sendThrough(Consumer<Object> channel) {
        toDriver = channel;
    }

    /**
     * On the driver: records a message from an executor.
     *
     * @return whether it was a Flight message
     */
    public static boolean receive(Object message) {
        if (message instanceof PartitionStarted started) {
            record(started);
            return true;
        }
        return false;
    }

    /** Runs in a task once its partition's first batch is written. */
    static void partitionStarted(String servingId, int partition, String location) {
        PartitionStarted started = new PartitionStarted(servingId, partition, location);
        if (record(started)) {
            return;
        }
        Consumer<Object> channel = toDriver;
        if (channel == null) {
            return;
        }
        try {
            channel.accept(started);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Could not tell the driver where {} is served (it learns it when the job ends): {}",
                    new io.tributary.serving.PartitionTicket(servingId, partition, "").describe(),
                    e.toString());
        }
    }

    /** Starts expecting the locations of {@code partitions} partitions of a serving; close it when done. */
    static PendingLocations expect(String servingId, int partitions) {
        PendingLocations pending = new PendingLocations(servingId, partitions);
        PENDING.put(servingId, pending);
        return pending;
    }

    private static boolean record(PartitionStarted started) {
        PendingLocations pending = PENDING.get(started.servingId());
        if (pending == null) {
            return false;
        }
        pending.add(started.partition(), started.location());
        return true;
    }

    /** The locations reported so far for one serving. */
    static final class PendingLocations implements AutoCloseable {
        private final String servingId;
        private final String[] locations;
        private int known;

        PendingLocations(String servingId, int partitions) {
            this.servingId = servingId;
            this.locations = new String[partitions];
        }

        synchronized void add(int partition, String location) {
            if (partition >= 0 && partition < locations.length && locations[partition] == null) {
                known++;
            }
            if (partition >= 0 && partition < locations.length) {
                locations[partition] = location;
                notifyAll();
            }
        }

        /** Every location, in partition order, once all are known; null if they are not after {@code millis}. */
        synchronized List<String> await(long millis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + millis;
            long left = millis;
            while (known < locations.length && left > 0) {
                wait(left);
                left = deadline - System.currentTimeMillis();
            }
            return known == locations.length ? new ArrayList<>(Arrays.asList(locations)) : null;
        }

        @Override
        public void close() {
            PENDING.remove(servingId, this);
        }
    }
}
