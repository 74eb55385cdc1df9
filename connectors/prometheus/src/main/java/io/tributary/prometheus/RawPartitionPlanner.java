package io.tributary.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a mode=raw read into partitions. Remote read includes both ends of a range, so a request ends 1 ms before
 * the next one starts: no sample is read twice. A Prometheus server serves at most
 * {@code --storage.remote.read-concurrent-limit} (default 10) remote reads at once, so a scan never has more
 * partitions than {@code maxConcurrentReads}; each partition reads its requests one after the other, which bounds
 * the scan's requests in flight whatever Spark's task slots.
 */
final class RawPartitionPlanner {
    /** The automatic request length is at most a day: the answer of one request is held until it is decoded. */
    static final long AUTO_MAX_REQUEST_MILLIS = 86_400_000L;

    private RawPartitionPlanner() {}

    /**
     * The request length when {@code partitionDuration} is not set: enough requests for every allowed partition
     * (at most two per task slot), each at most a day.
     */
    static long autoRequestMillis(long firstMillis, long lastMillis, int maxConcurrentReads, int parallelism) {
        long span = Math.max(1, lastMillis - firstMillis + 1);
        long wanted = Math.max(1, Math.min(maxConcurrentReads, 2L * parallelism));
        return Math.max(1, Math.min(AUTO_MAX_REQUEST_MILLIS, ceilDiv(span, wanted)));
    }

    /** @throws IllegalArgumentException when the read would send more than the allowed requests */
    static List<RawPartition> plan(long firstMillis, long lastMillis, long requestMillis, int maxConcurrentReads) {
        List<RawPartition> slices = new ArrayList<>();
        if (firstMillis > lastMillis) {
            return slices;
        }
        long requests = ceilDiv(lastMillis - firstMillis + 1, requestMillis);
        PlanBounds.checkRemoteReadRequests(requests, requestMillis);
        long partitions = Math.min(requests, maxConcurrentReads);
        for (long p = 0; p < partitions; p++) {
            long fromRequest = p * requests / partitions;
            long toRequest = (p + 1) * requests / partitions;
            long first = firstMillis + fromRequest * requestMillis;
            long last = Math.min(lastMillis, firstMillis + toRequest * requestMillis - 1);
            slices.add(new RawPartition(first, last, requestMillis));
        }
        return slices;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
