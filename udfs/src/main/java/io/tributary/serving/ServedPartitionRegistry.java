package io.tributary.serving;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this JVM serves, each an Arrow IPC stream (a complete file, or batches its task is still computing),
 * by serving id and partition index. A serving is one
 * transform's input; its secret is kept only as a SHA-256 hash and compared in constant time. Each partition can be
 * fetched once; an unfetched one is deleted when its time to live passes, and a whole serving when it is released.
 * Transports ({@link PartitionServer}, or any other) ask {@link #take} for a partition and own it from then on.
 */
public final class ServedPartitionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ServedPartitionRegistry.class);
    private static final ServedPartitionRegistry SHARED = new ServedPartitionRegistry(System::nanoTime);

    private final LongSupplier nanoClock;
    private final Map<Key, Entry> entries = new HashMap<>();
    private ScheduledExecutorService sweeper;

    private record Key(String servingId, int partition) {}

    /** A registered partition; {@code partition} is null once it was fetched (kept to say so, until its deadline). */
    private static final class Entry {
        ServedPartition partition;
        final byte[] secretHash;
        final long deadlineNanos;

        Entry(ServedPartition partition, byte[] secretHash, long deadlineNanos) {
            this.partition = partition;
            this.secretHash = secretHash;
            this.deadlineNanos = deadlineNanos;
        }
    }

    ServedPartitionRegistry(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** The JVM's registry, which its {@link PartitionServer}s serve from. */
    public static ServedPartitionRegistry shared() {
        return SHARED;
    }

    /**
     * Makes the complete file {@code file} fetchable once by whoever presents the serving's secret, until
     * {@code timeToLive} passes. The registry owns the file from now on and deletes it when it is fetched and sent,
     * expires or is released.
     */
    public void register(String servingId, int partition, Path file, byte[] secretHash, Duration timeToLive)
            throws IOException {
        register(
                servingId,
                partition,
                ServedPartition.written(file, describe(servingId, partition)),
                secretHash,
                timeToLive);
    }

    /** As {@link #register(String, int, Path, byte[], Duration)}, for a partition that may still be computed. */
    synchronized void register(
            String servingId, int partition, ServedPartition served, byte[] secretHash, Duration timeToLive) {
        Entry previous = entries.put(
                new Key(servingId, partition),
                new Entry(served, secretHash.clone(), nanoClock.getAsLong() + timeToLive.toNanos()));
        if (previous != null) {
            discard(previous.partition);
        }
        if (sweeper == null && this == SHARED) {
            sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "tributary-served-partitions-sweeper");
                t.setDaemon(true);
                return t;
            });
            sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * The partition, handed over to the caller, who sends it and then {@link ServedPartition#discard}s it.
     *
     * @throws PartitionAccessException when the partition is not here (never registered, expired or released), the
     *     secret is wrong, or it was fetched already
     */
    public synchronized ServedPartition take(PartitionTicket ticket) throws PartitionAccessException {
        sweep();
        Entry entry = entries.get(new Key(ticket.servingId(), ticket.partition()));
        if (entry == null) {
            throw new PartitionAccessException("No " + ticket.describe() + " is served here: it was never "
                    + "registered on this server, expired unfetched, or was released when its transform ended");
        }
        if (!secretMatches(entry, ticket.secret())) {
            throw new PartitionAccessException("Wrong secret for " + ticket.describe());
        }
        if (entry.partition == null) {
            throw new PartitionAccessException(
                    ticket.describe() + " was fetched already; each reference can be " + "read once");
        }
        ServedPartition partition = entry.partition;
        entry.partition = null;
        return partition;
    }

    /**
     * Forgets every partition of the serving and deletes their files.
     *
     * @return how many partitions were registered under it
     * @throws PartitionAccessException when the secret is not the serving's
     */
    public synchronized int release(String servingId, String secret) throws PartitionAccessException {
        List<Key> keys = new ArrayList<>();
        for (Map.Entry<Key, Entry> e : entries.entrySet()) {
            if (e.getKey().servingId().equals(servingId)) {
                if (!secretMatches(e.getValue(), secret)) {
                    throw new PartitionAccessException("Wrong secret for serving " + servingId);
                }
                keys.add(e.getKey());
            }
        }
        for (Key key : keys) {
            discard(entries.remove(key).partition);
        }
        return keys.size();
    }

    /** Partitions still registered here (fetched ones included until their deadline). */
    public synchronized int size() {
        return entries.size();
    }

    /** Drops everything past its deadline. */
    synchronized void sweep() {
        long now = nanoClock.getAsLong();
        for (Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Entry> e = it.next();
            if (now - e.getValue().deadlineNanos > 0) {
                if (e.getValue().partition != null) {
                    LOG.info(
                            "Served partition {} of serving {} expired unfetched",
                            e.getKey().partition(),
                            e.getKey().servingId());
                }
                discard(e.getValue().partition);
                it.remove();
            }
        }
    }

    private static boolean secretMatches(Entry entry, String secret) {
        return MessageDigest.isEqual(entry.secretHash, PartitionTicket.secretHash(secret));
    }

    private static void discard(ServedPartition partition) {
        if (partition != null) {
            partition.discard();
        }
    }

    static String describe(String servingId, int partition) {
        return new PartitionTicket(servingId, partition, "").describe();
    }
}
