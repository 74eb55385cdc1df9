package io.tributary.testing.prometheus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Node-exporter memory gauges shaped like a real fleet's, deterministic from a seed: the values behind
 * {@link NodeMemoryHistory.Builder#machineFleet(long)}. Each instance is a machine with its own size and workload:
 * <ul>
 *   <li>{@code MemTotal}: a common machine size (8 to 128 GiB) less 2–4 % the kernel reserves, constant;</li>
 *   <li>memory in use by programs: a base load, a daily cycle peaking at the machine's busy hour (daytime for
 *       most, night for batch machines), workload that comes and goes within hours, on some machines a slow leak
 *       that grows until the next restart, and sample-to-sample noise;</li>
 *   <li>page cache ({@code Cached}): grows towards the machine's cache size and is partly dropped once a day on
 *       machines with a nightly clean-up, emptied by a restart, and squeezed when programs need the memory;</li>
 *   <li>{@code MemFree} = MemTotal - in use - Cached - kernel memory (slab, buffers, a few %), never below 2 % of
 *       MemTotal; {@code Active} = 85 % of in use + 45 % of Cached.</li>
 * </ul>
 * One machine (two in a fleet of 8 or more) restarts during the history ({@link #restarts()}; none when the
 * history is too short to hold the outage): its series have no samples while the
 * machine is down (8 to 20 minutes, longer than Prometheus' 5-minute lookback, so range queries show the gap),
 * and afterwards memory in use starts low and warms up over about an hour, the leak starts again from zero and
 * the page cache refills from empty. Values are whole 4 KiB pages in bytes, computed from (seed, instance, sample)
 * with {@link StrictMath}, so they are identical on every JVM.
 */
public final class MachineFleetMemory {
    private static final long GIB = 1L << 30;
    private static final long PAGE = 4096;
    private static final double HOUR_MS = 3_600_000.0;
    private static final int[] SIZES_GIB = {8, 16, 16, 32, 32, 32, 64, 64, 128};

    /** A machine restart: instance {@code instance} has no samples for indices {@code [downFrom, upAt)}. */
    public record Restart(int instance, long downFrom, long upAt) {}

    private final long seed;
    private final long startMillis;
    private final long intervalMillis;
    private final Machine[] machines;
    private final List<Restart> restarts;

    MachineFleetMemory(long seed, int instances, Instant start, Duration interval, long sampleCount) {
        this.seed = seed;
        this.startMillis = start.toEpochMilli();
        this.intervalMillis = interval.toMillis();
        this.machines = new Machine[instances];
        double startHourOfDay = (startMillis % 86_400_000L) / HOUR_MS;
        List<Restart> chosen = new ArrayList<>();
        long downMin = (long) Math.ceil(8 * 60_000.0 / intervalMillis);
        int first = (int) (unit(seed, -1, 0) * instances);
        // one restart in a small fleet, two in a larger one: on machines half the fleet apart, in different halves of
        // the history
        int[] restarted = instances < 8 ? new int[] {first} : new int[] {first, (first + instances / 2) % instances};
        for (int r = 0; r < restarted.length; r++) {
            int k = restarted[r];
            long downFor = downMin + (long) (unit(seed, k, 20) * 12 * 60_000.0 / intervalMillis);
            double earliest = restarted.length == 1 ? 0.2 : 0.15 + 0.4 * r;
            long downFrom = (long) ((earliest + 0.3 * unit(seed, k, 21)) * sampleCount);
            if (downFrom + downFor < sampleCount) {
                chosen.add(new Restart(k, downFrom, downFrom + downFor));
            }
        }
        this.restarts = Collections.unmodifiableList(chosen);
        for (int k = 0; k < instances; k++) {
            final int instance = k;
            Restart restart = chosen.stream()
                    .filter(c -> c.instance() == instance)
                    .findFirst()
                    .orElse(null);
            machines[k] = new Machine(seed, k, restart, hours(restart == null ? 0 : restart.upAt()), startHourOfDay);
        }
    }

    /** The restarts during the history (one per restarted instance), in the order they were chosen. */
    public List<Restart> restarts() {
        return restarts;
    }

    /** Whether instance {@code k} reports sample {@code i} (false while it is down for a restart). */
    public boolean isUp(int k, long i) {
        Restart restart = machines[k].restart;
        return restart == null || i < restart.downFrom() || i >= restart.upAt();
    }

    /** {@code node_memory_MemTotal_bytes} of instance {@code k}. */
    public long memTotal(int k) {
        return machines[k].total;
    }

    /** The value of metric {@code m} (index in {@link NodeMemoryHistory#NODE_MEMORY_METRICS}) of instance k. */
    long value(int m, int k, long i) {
        Machine machine = machines[k];
        if (m == 1) {
            return machine.total;
        }
        double t = hours(i);
        double hourOfDay = ((startMillis + i * intervalMillis) % 86_400_000L) / HOUR_MS;
        double total = machine.total;
        double sinceBoot = t - machine.bootAt(t);
        double warm = 1 - 0.65 * StrictMath.exp(-sinceBoot);
        double cycle = 0.5 + 0.5 * StrictMath.cos(2 * Math.PI * (hourOfDay - machine.busyHour) / 24);
        double noise = 0.006 * (2 * unit(seed ^ i, k, 30) - 1) + machine.workloadDrift(seed, k, t);
        double inUseShare =
                warm * (machine.base + machine.dailySwing * cycle) + machine.leakPerHour * sinceBoot + noise;
        double kernel = total * (machine.kernelShare + 0.002 * unit(seed ^ i, k, 31));
        double inUse = Math.min(total * inUseShare, total * 0.97 - kernel);
        double cached = Math.min(machine.cache(t), total * 0.98 - kernel - inUse);
        cached = Math.max(cached, total * 0.005);
        double free = total - inUse - kernel - cached;
        return switch (m) {
            case 0 -> pages(free);
            case 2 -> pages(0.85 * inUse + 0.45 * cached);
            default -> pages(cached);
        };
    }

    private double hours(long i) {
        return i * intervalMillis / HOUR_MS;
    }

    private static long pages(double bytes) {
        return (long) (bytes / PAGE) * PAGE;
    }

    /** A uniform number in [0, 1) from (seed, instance, what): SplitMix64's finaliser over the three. */
    static double unit(long seed, int instance, int what) {
        long z = seed * 0x9E3779B97F4A7C15L + instance * 0xBF58476D1CE4E5B9L + what * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    /** One machine's fixed traits, drawn from the seed. Times are hours since the first sample. */
    private static final class Machine {
        final long total;
        final double base;
        final double dailySwing;
        final double workloadSwing;
        final double busyHour;
        final double leakPerHour;
        final double kernelShare;
        final double cacheShare;
        final double cacheFillHours;
        final double nightlyDropHour;
        final double dropKeeps;
        final double bootedBefore;
        final Restart restart;
        final double restartedAt;

        Machine(long seed, int k, Restart restart, double restartedAt, double startHourOfDay) {
            long nominal = SIZES_GIB[(int) (unit(seed, k, 1) * SIZES_GIB.length)] * GIB;
            total = (long) (nominal * (0.96 + 0.02 * unit(seed, k, 2)) / 1024) * 1024;
            base = 0.12 + 0.38 * unit(seed, k, 3);
            dailySwing = 0.04 + 0.20 * unit(seed, k, 4);
            workloadSwing = 0.01 + 0.05 * unit(seed, k, 16);
            boolean batch = unit(seed, k, 5) < 0.25;
            busyHour = batch ? 1 + 3 * unit(seed, k, 6) : 10 + 7 * unit(seed, k, 6);
            // the restarted machines are those whose leak made someone restart them
            leakPerHour = restart != null
                    ? (0.06 + 0.04 * unit(seed, k, 8)) / 24
                    : unit(seed, k, 7) < 0.3 ? (0.02 + 0.03 * unit(seed, k, 8)) / 24 : 0;
            kernelShare = 0.025 + 0.03 * unit(seed, k, 9);
            cacheShare = 0.15 + 0.45 * unit(seed, k, 10);
            cacheFillHours = 2 + 10 * unit(seed, k, 11);
            // a nightly clean-up between 22:00 and 03:00, as hours since the first sample
            nightlyDropHour = unit(seed, k, 12) < 0.5 ? 22 + 5 * unit(seed, k, 13) - startHourOfDay : Double.NaN;
            dropKeeps = 0.2 + 0.3 * unit(seed, k, 14);
            bootedBefore = 12 + 36 * unit(seed, k, 15);
            this.restart = restart;
            this.restartedAt = restartedAt;
        }

        /**
         * Workload that comes and goes within hours: up to {@code workloadSwing} of MemTotal, interpolated between
         * random levels drawn every 40 minutes.
         */
        double workloadDrift(long seed, int k, double t) {
            double knots = t / (2 / 3.0);
            long knot = (long) StrictMath.floor(knots);
            double a = unit(seed + knot * 0x632BE59BD9B4E019L, k, 32);
            double b = unit(seed + (knot + 1) * 0x632BE59BD9B4E019L, k, 32);
            return workloadSwing * (a + (b - a) * (knots - knot));
        }

        /** When the machine last booted, at or before {@code t} (negative: before the history began). */
        double bootAt(double t) {
            return restart != null && t >= restartedAt ? restartedAt : -bootedBefore;
        }

        /** Page cache before memory pressure: refilling since the last restart or nightly drop. */
        double cache(double t) {
            double boot = bootAt(t);
            double from = boot;
            double level = 0.01;
            if (!Double.isNaN(nightlyDropHour)) {
                double lastDrop = StrictMath.floor((t - nightlyDropHour) / 24) * 24 + nightlyDropHour;
                if (lastDrop > boot) {
                    from = lastDrop;
                    level = cacheShare * dropKeeps;
                }
            }
            double share = cacheShare - (cacheShare - level) * StrictMath.exp(-(t - from) / cacheFillHours);
            return total * share;
        }
    }
}
