package io.tributary.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * A job's peak heap, printed by the job itself as one line that the benchmark reads from its log: the old
 * generation's peak occupancy ({@link MemoryPoolMXBean#getPeakUsage}, which counts garbage not yet collected) and
 * the largest heap left after any garbage collection (from the JVM's GC notifications), an upper bound of what the
 * job kept alive at once. Peak RSS, measured from outside, also counts the JVM's own and off-heap memory.
 *
 * <pre>{@code
 * HeapPeaks peaks = HeapPeaks.watch();   // first thing in main
 * ...
 * System.out.println(peaks.line());      // last thing
 * }</pre>
 */
public final class HeapPeaks {
    private static final String PREFIX = "tributary-bench heap peaks:";
    private static final Pattern LINE = Pattern.compile(Pattern.quote(PREFIX)
            + " old gen peak used (\\d+) bytes, largest heap after a GC (\\d+) bytes, max heap (\\d+) bytes");

    private final AtomicLong largestAfterGc = new AtomicLong();

    /** The figures of one job. */
    public record Peaks(long oldGenPeakBytes, long largestAfterGcBytes, long maxHeapBytes) {}

    private HeapPeaks() {}

    /** Starts following the collections of this JVM. */
    public static HeapPeaks watch() {
        HeapPeaks peaks = new HeapPeaks();
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GcInfo gc = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                        .getGcInfo();
                peaks.largestAfterGc.accumulateAndGet(heapUsedAfter(gc), Math::max);
            }
        };
        for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
        }
        return peaks;
    }

    private static long heapUsedAfter(GcInfo gc) {
        return gc.getMemoryUsageAfterGc().entrySet().stream()
                .filter(pool -> isHeapPool(pool.getKey()))
                .mapToLong(pool -> pool.getValue().getUsed())
                .sum();
    }

    private static boolean isHeapPool(String name) {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .anyMatch(pool -> pool.getName().equals(name) && pool.getType() == MemoryType.HEAP);
    }

    /** The figures so far. */
    public Peaks peaks() {
        long oldGen = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP && isOldGeneration(pool.getName()))
                .map(MemoryPoolMXBean::getPeakUsage)
                .mapToLong(MemoryUsage::getUsed)
                .sum();
        // Notifications arrive on a JVM thread after the collection; each collector's last one is there at once.
        long afterGc = largestAfterGc.get();
        for (var collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            GcInfo last = ((com.sun.management.GarbageCollectorMXBean) collector).getLastGcInfo();
            if (last != null) {
                afterGc = Math.max(afterGc, heapUsedAfter(last));
            }
        }
        return new Peaks(oldGen, afterGc, Runtime.getRuntime().maxMemory());
    }

    /** G1 Old Gen, PS Old Gen, Tenured Gen (Serial), ZGC's and Shenandoah's single generation. */
    private static boolean isOldGeneration(String pool) {
        return pool.contains("Old")
                || pool.contains("Tenured")
                || pool.startsWith("ZHeap")
                || pool.equals("Shenandoah");
    }

    /** The line the job prints, which {@link #parse} reads back. */
    public String line() {
        return format(peaks());
    }

    static String format(Peaks peaks) {
        return String.format(
                Locale.ROOT,
                "%s old gen peak used %d bytes, largest heap after a GC %d bytes, max heap %d bytes",
                PREFIX,
                peaks.oldGenPeakBytes(),
                peaks.largestAfterGcBytes(),
                peaks.maxHeapBytes());
    }

    /** The figures of the last such line of a job's output, if it printed one. */
    public static Optional<Peaks> parse(String output) {
        Matcher matcher = LINE.matcher(output);
        Peaks last = null;
        while (matcher.find()) {
            last = new Peaks(
                    Long.parseLong(matcher.group(1)),
                    Long.parseLong(matcher.group(2)),
                    Long.parseLong(matcher.group(3)));
        }
        return Optional.ofNullable(last);
    }
}
