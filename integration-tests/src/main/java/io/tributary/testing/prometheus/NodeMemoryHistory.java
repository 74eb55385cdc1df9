package io.tributary.testing.prometheus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A deterministic history of node-exporter memory gauges (the four metrics the Python download scripts Tributary
 * replaces download), plus optional edge-case series, that can be written as OpenMetrics text for {@code promtool tsdb
 * create-blocks-from openmetrics}. Every value is a formula of (series, sample index), so a test can compute the
 * expected value of any sample without asking the server.
 *
 * <h2>Samples</h2>
 * Sample {@code i} of every series is at {@code start + i * interval}, for {@code 0 <= i < duration / interval}
 * (the end is exclusive). Each node-memory series has every sample.
 *
 * <h2>Node-memory series</h2>
 * For instance {@code k} ({@code 0 <= k < instances}): labels {@code instance="node-KK:9100"} (zero-padded to at
 * least two digits), {@code group="group-(k mod groups)"}, {@code job="node"}. Values are whole bytes:
 * <ul>
 *   <li>{@code node_memory_MemTotal_bytes} = {@code (8 + 4 * (k mod 8)) GiB}, constant;</li>
 *   <li>{@code node_memory_MemFree_bytes} = {@code round(total * (0.25 + 0.08 * sin(w))) + jitter(1)};</li>
 *   <li>{@code node_memory_Active_bytes} = {@code round(total * (0.35 + 0.05 * sin(w + 1))) + jitter(2)};</li>
 *   <li>{@code node_memory_Cached_bytes} = {@code round(total * (0.20 + 0.05 * cos(w))) + jitter(3)};</li>
 * </ul>
 * where {@code w = 2 pi (i / 240 + (k mod 16) / 16)} (one period per 240 samples, a phase per instance) and
 * {@code jitter(m) = ((i * 7919 + k * 104729 + m * 15485863) mod 1021) * 4096}. The jitter makes neighbouring
 * samples differ, so an off-by-one-sample bug in a reader changes the values it returns. All values are integers
 * far below 2^53, hence exact doubles; {@link StrictMath} keeps them identical on every JVM.
 *
 * <p>With {@link Builder#machineFleet(long)} the node-memory series instead look like a real fleet's (daily cycles,
 * different machine sizes and loads, page cache filling and dropping, restarts with a gap in the series), as
 * described on {@link MachineFleetMemory}; labels and sample times stay as above.
 *
 * <h2>Special series ({@link Builder#specialSeries(boolean)})</h2>
 * All carry {@code job="node"} and {@code instance="node-special:9100"} unless said otherwise:
 * <ul>
 *   <li>{@value #NON_FINITE_METRIC} (gauge): by {@code i mod 4}: {@code i}, NaN, +Inf, -Inf. The JSON API
 *       returns them as {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}.</li>
 *   <li>{@value #GAP_METRIC} (gauge): value {@code i}, but no samples for {@code n/3 <= i < 2n/3}
 *       ({@link #gapFirstIndex()}, {@link #gapEndIndex()}). The gap must be longer than the 5-minute lookback
 *       plus one interval, so that range queries have points missing inside it.</li>
 *   <li>{@value #COUNTER_METRIC} (counter, family {@code tributary_fixture_restarts}): {@code 5 * (i mod 40)},
 *       so it resets to 0 every 40 samples, as a restarted process' counter does.</li>
 *   <li>{@value #PARTLY_GROUPED_METRIC} (gauge): two series, {@code instance="node-00:9100",group="group-0"} with
 *       value {@code 1000 + i}, and {@value #UNGROUPED_INSTANCE} <em>without a group label</em> with value
 *       {@code 2000 + i}.</li>
 * </ul>
 *
 * <p>Example:
 * <pre>{@code
 * NodeMemoryHistory history = NodeMemoryHistory.builder()
 *     .instances(3).groups(2).start(Instant.parse("2023-01-01T00:00:00Z")).duration(Duration.ofHours(2))
 *     .specialSeries(true).build();
 * history.writeOpenMetrics(dir.resolve("history.om"));
 * double free = history.value(NodeMemoryHistory.MEM_FREE, 1, 10);   // instance node-01:9100, sample 10
 * }</pre>
 */
public final class NodeMemoryHistory {
    public static final String MEM_FREE = "node_memory_MemFree_bytes";
    public static final String MEM_TOTAL = "node_memory_MemTotal_bytes";
    public static final String ACTIVE = "node_memory_Active_bytes";
    public static final String CACHED = "node_memory_Cached_bytes";
    /** The Python download scripts' metrics, in their order. */
    public static final List<String> NODE_MEMORY_METRICS = List.of(MEM_FREE, MEM_TOTAL, ACTIVE, CACHED);

    public static final String NON_FINITE_METRIC = "tributary_fixture_nonfinite";
    public static final String GAP_METRIC = "tributary_fixture_gap";
    public static final String COUNTER_METRIC = "tributary_fixture_restarts_total";
    public static final String PARTLY_GROUPED_METRIC = "tributary_fixture_partly_grouped";
    public static final String SPECIAL_INSTANCE = "node-special:9100";
    public static final String UNGROUPED_INSTANCE = "node-ungrouped:9100";
    public static final String JOB = "node";

    /** Prometheus' default lookback: a range-query point takes the newest sample at most this old. */
    public static final Duration LOOKBACK = Duration.ofMinutes(5);

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);
    public static final int COUNTER_RESET_EVERY = 40;

    private static final long GIB = 1L << 30;
    private static final int SINE_PERIOD_SAMPLES = 240;

    private final int instances;
    private final int groups;
    private final Instant start;
    private final Duration interval;
    private final long sampleCount;
    private final boolean specialSeries;
    private final MachineFleetMemory fleet;
    private final List<Series> series;

    private NodeMemoryHistory(Builder builder) {
        this.instances = builder.instances;
        this.groups = builder.groups;
        this.start = builder.start;
        this.interval = builder.interval;
        this.sampleCount = builder.duration.toMillis() / builder.interval.toMillis();
        this.specialSeries = builder.specialSeries;
        this.fleet = builder.fleetSeed == null
                ? null
                : new MachineFleetMemory(builder.fleetSeed, instances, start, interval, sampleCount);
        this.series = Collections.unmodifiableList(buildSeries());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The kind of formula a series follows; see the class documentation. */
    enum Kind {
        NODE_MEMORY,
        NON_FINITE,
        GAP,
        COUNTER,
        PARTLY_GROUPED_WITH_GROUP,
        PARTLY_GROUPED_WITHOUT_GROUP
    }

    /** One series of the history: metric name, labels (without {@code __name__}), OpenMetrics type. */
    public static final class Series {
        private final String metric;
        private final Map<String, String> labels;
        private final Kind kind;
        private final int instanceIndex;
        private final int metricIndex;

        Series(String metric, Map<String, String> labels, Kind kind, int instanceIndex, int metricIndex) {
            this.metric = metric;
            this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
            this.kind = kind;
            this.instanceIndex = instanceIndex;
            this.metricIndex = metricIndex;
        }

        public String metric() {
            return metric;
        }

        /** Labels in the order written, without {@code __name__}. */
        public Map<String, String> labels() {
            return labels;
        }

        /** The value of label {@code name}, or null when the series has no such label. */
        public String label(String name) {
            return labels.get(name);
        }

        /** {@code "counter"} or {@code "gauge"}. */
        public String type() {
            return kind == Kind.COUNTER ? "counter" : "gauge";
        }

        /** The OpenMetrics family name: counters drop their {@code _total} suffix. */
        public String family() {
            return kind == Kind.COUNTER ? metric.substring(0, metric.length() - "_total".length()) : metric;
        }

        Kind kind() {
            return kind;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Series other && metric.equals(other.metric) && labels.equals(other.labels);
        }

        @Override
        public int hashCode() {
            return Objects.hash(metric, labels);
        }

        @Override
        public String toString() {
            return metric + labels;
        }
    }

    private List<Series> buildSeries() {
        List<Series> all = new ArrayList<>();
        for (int m = 0; m < NODE_MEMORY_METRICS.size(); m++) {
            for (int k = 0; k < instances; k++) {
                all.add(new Series(
                        NODE_MEMORY_METRICS.get(m), nodeLabels(instance(k), group(k)), Kind.NODE_MEMORY, k, m));
            }
        }
        if (specialSeries) {
            all.add(new Series(NON_FINITE_METRIC, nodeLabels(SPECIAL_INSTANCE, null), Kind.NON_FINITE, -1, -1));
            all.add(new Series(GAP_METRIC, nodeLabels(SPECIAL_INSTANCE, null), Kind.GAP, -1, -1));
            all.add(new Series(COUNTER_METRIC, nodeLabels(SPECIAL_INSTANCE, null), Kind.COUNTER, -1, -1));
            all.add(new Series(
                    PARTLY_GROUPED_METRIC, nodeLabels(instance(0), group(0)), Kind.PARTLY_GROUPED_WITH_GROUP, 0, -1));
            all.add(new Series(
                    PARTLY_GROUPED_METRIC,
                    nodeLabels(UNGROUPED_INSTANCE, null),
                    Kind.PARTLY_GROUPED_WITHOUT_GROUP,
                    -1,
                    -1));
        }
        return all;
    }

    private static Map<String, String> nodeLabels(String instance, String group) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (group != null) {
            labels.put("group", group);
        }
        labels.put("instance", instance);
        labels.put("job", JOB);
        return labels;
    }

    /** Every series, grouped by metric family in the order they are written. */
    public List<Series> series() {
        return series;
    }

    /** The series of {@code metric}, in written order. */
    public List<Series> series(String metric) {
        return series.stream().filter(s -> s.metric().equals(metric)).toList();
    }

    /** The node-memory series of {@code metric} for instance index {@code k}. */
    public Series nodeSeries(String metric, int k) {
        int m = NODE_MEMORY_METRICS.indexOf(metric);
        if (m < 0) {
            throw new IllegalArgumentException("metric must be one of " + NODE_MEMORY_METRICS + ", got " + metric);
        }
        checkInstance(k);
        return series.get(m * instances + k);
    }

    /** The one series of a special metric that has a single series ({@link #NON_FINITE_METRIC} etc.). */
    public Series specialSeries(String metric) {
        List<Series> matching = series(metric);
        if (!specialSeries || matching.size() != 1 || matching.get(0).kind() == Kind.NODE_MEMORY) {
            throw new IllegalArgumentException("metric must be a single-series special metric of this history ("
                    + (specialSeries
                            ? List.of(NON_FINITE_METRIC, GAP_METRIC, COUNTER_METRIC)
                            : "special series are off")
                    + "), got " + metric);
        }
        return matching.get(0);
    }

    /** All metric names, in written order. */
    public List<String> metricNames() {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        series.forEach(s -> names.add(s.metric()));
        return List.copyOf(names);
    }

    public int instances() {
        return instances;
    }

    public int groups() {
        return groups;
    }

    /** The {@code instance} label of instance index {@code k}, e.g. {@code node-03:9100}. */
    public String instance(int k) {
        checkInstance(k);
        int width = Math.max(2, Integer.toString(instances - 1).length());
        return String.format("node-%0" + width + "d:9100", k);
    }

    /** The {@code group} label of instance index {@code k}. */
    public String group(int k) {
        checkInstance(k);
        return "group-" + (k % groups);
    }

    public Instant start() {
        return start;
    }

    public Duration interval() {
        return interval;
    }

    /** The exclusive end: {@code start + sampleCount * interval}. */
    public Instant end() {
        return timestamp(sampleCount);
    }

    /** The time of the last sample, {@code end() - interval}. */
    public Instant lastSampleTime() {
        return timestamp(sampleCount - 1);
    }

    /** Samples per complete series ({@code duration / interval}). */
    public long sampleCount() {
        return sampleCount;
    }

    /** The time of sample {@code i}: {@code start + i * interval}. */
    public Instant timestamp(long i) {
        return start.plusMillis(Math.multiplyExact(i, interval.toMillis()));
    }

    /** Every sample time of a complete series, in order. */
    public List<Instant> sampleTimes() {
        List<Instant> times = new ArrayList<>((int) Math.min(sampleCount, Integer.MAX_VALUE));
        for (long i = 0; i < sampleCount; i++) {
            times.add(timestamp(i));
        }
        return times;
    }

    /**
     * The number of samples written, over all series (the gap series lacks the samples inside its gap, a machine
     * fleet's restarted instances those while they were down).
     */
    public long totalSampleCount() {
        long total = 0;
        for (Series s : series) {
            total += s.kind() == Kind.GAP ? sampleCount - (gapEndIndex() - gapFirstIndex()) : sampleCount;
        }
        return total - NODE_MEMORY_METRICS.size() * restartedSamples();
    }

    /**
     * The samples of the node-memory metrics only: {@code 4 * instances * sampleCount()}, less the samples of
     * restarted instances while they were down when this is a machine fleet.
     */
    public long nodeMemorySampleCount() {
        return NODE_MEMORY_METRICS.size() * ((long) instances * sampleCount - restartedSamples());
    }

    /** The samples one node-memory metric lacks over all instances because of restarts. */
    private long restartedSamples() {
        return fleet == null
                ? 0
                : fleet.restarts().stream()
                        .mapToLong(r -> r.upAt() - r.downFrom())
                        .sum();
    }

    /**
     * The machine fleet behind the node-memory values ({@link Builder#machineFleet(long)}): its sizes and restarts.
     *
     * @throws IllegalStateException when this history uses the formulas instead
     */
    public MachineFleetMemory machineFleet() {
        if (fleet == null) {
            throw new IllegalStateException("This history was built without machineFleet(seed)");
        }
        return fleet;
    }

    /** First sample index missing from {@link #GAP_METRIC}. */
    public long gapFirstIndex() {
        return sampleCount / 3;
    }

    /** First sample index after the gap of {@link #GAP_METRIC} (exclusive end of the gap). */
    public long gapEndIndex() {
        return 2 * sampleCount / 3;
    }

    /** Whether {@code series} has a sample at index {@code i}. */
    public boolean hasSample(Series s, long i) {
        if (i < 0 || i >= sampleCount) {
            return false;
        }
        return switch (s.kind()) {
            case GAP -> i < gapFirstIndex() || i >= gapEndIndex();
            case NODE_MEMORY -> fleet == null || fleet.isUp(s.instanceIndex, i);
            default -> true;
        };
    }

    /** The value of node-memory {@code metric} for instance index {@code k} at sample {@code i}. */
    public double value(String metric, int k, long i) {
        return value(nodeSeries(metric, k), i);
    }

    /**
     * The value of sample {@code i} of {@code series}, per the formulas in the class documentation; for the gap
     * series inside its gap (and a fleet machine while it is down), the value the formula would give although no
     * sample is written.
     */
    public double value(Series s, long i) {
        return switch (s.kind()) {
            case NODE_MEMORY ->
                fleet == null
                        ? nodeMemoryValue(s.metricIndex, s.instanceIndex, i)
                        : fleet.value(s.metricIndex, s.instanceIndex, i);
            case NON_FINITE ->
                switch ((int) (i % 4)) {
                    case 0 -> i;
                    case 1 -> Double.NaN;
                    case 2 -> Double.POSITIVE_INFINITY;
                    default -> Double.NEGATIVE_INFINITY;
                };
            case GAP -> i;
            case COUNTER -> 5 * (i % COUNTER_RESET_EVERY);
            case PARTLY_GROUPED_WITH_GROUP -> 1000 + i;
            case PARTLY_GROUPED_WITHOUT_GROUP -> 2000 + i;
        };
    }

    private static long nodeMemoryValue(int m, int k, long i) {
        long total = (8 + 4L * (k % 8)) * GIB;
        if (m == 1) {
            return total;
        }
        double w = 2 * Math.PI * ((double) (i % SINE_PERIOD_SAMPLES) / SINE_PERIOD_SAMPLES + (k % 16) / 16.0);
        long jitter = Math.floorMod(i * 7919L + k * 104729L + (m == 0 ? 1 : m) * 15485863L, 1021L) * 4096L;
        double share = switch (m) {
            case 0 -> 0.25 + 0.08 * StrictMath.sin(w);
            case 2 -> 0.35 + 0.05 * StrictMath.sin(w + 1);
            default -> 0.20 + 0.05 * StrictMath.cos(w);
        };
        return Math.round(total * share) + jitter;
    }

    /**
     * What a range query evaluated at {@code t} returns for {@code series}: the newest sample at or before
     * {@code t} and no older than {@link #LOOKBACK}, or empty when there is none (before the first sample, inside
     * the gap once the lookback has passed, or more than five minutes after the last sample).
     */
    public OptionalDouble pointAt(Series s, Instant t) {
        long offset = t.toEpochMilli() - start.toEpochMilli();
        if (offset < 0) {
            return OptionalDouble.empty();
        }
        long newest = Math.min(offset / interval.toMillis(), sampleCount - 1);
        long oldestAllowed = t.toEpochMilli() - LOOKBACK.toMillis();
        for (long i = newest; i >= 0 && timestamp(i).toEpochMilli() >= oldestAllowed; i--) {
            if (hasSample(s, i)) {
                return OptionalDouble.of(value(s, i));
            }
        }
        return OptionalDouble.empty();
    }

    /**
     * Writes the history as OpenMetrics text accepted by {@code promtool tsdb create-blocks-from openmetrics},
     * streaming (the benchmark history is hundreds of megabytes).
     */
    public void writeOpenMetrics(Path file) throws IOException {
        new OpenMetricsWriter(this).write(file);
    }

    @Override
    public String toString() {
        return "NodeMemoryHistory{instances=" + instances + ", groups=" + groups + ", start=" + start + ", interval="
                + interval + ", samples/series=" + sampleCount + ", specialSeries=" + specialSeries
                + (fleet == null ? "" : ", machineFleet") + "}";
    }

    private void checkInstance(int k) {
        if (k < 0 || k >= instances) {
            throw new IllegalArgumentException("instance index must be in [0, " + instances + "), got " + k);
        }
    }

    /** Builds a {@link NodeMemoryHistory}; every field has a default except {@code start} and {@code duration}. */
    public static final class Builder {
        private int instances = 3;
        private int groups = 2;
        private Instant start;
        private Duration duration;
        private Duration interval = DEFAULT_INTERVAL;
        private boolean specialSeries;
        private Long fleetSeed;

        private Builder() {}

        /** Number of node instances (default 3). */
        public Builder instances(int instances) {
            this.instances = instances;
            return this;
        }

        /** Number of distinct {@code group} label values (default 2). */
        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Time of the first sample (whole milliseconds). */
        public Builder start(Instant start) {
            this.start = start;
            return this;
        }

        /** Length of the history; a whole multiple of the interval. */
        public Builder duration(Duration duration) {
            this.duration = duration;
            return this;
        }

        /** Time between samples (default 15 s, whole milliseconds). */
        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        /** Whether to add the edge-case series described on {@link NodeMemoryHistory} (default false). */
        public Builder specialSeries(boolean specialSeries) {
            this.specialSeries = specialSeries;
            return this;
        }

        /**
         * Node-memory values shaped like a real fleet's, drawn from {@code seed} (see {@link MachineFleetMemory}),
         * instead of the formulas (the default). The same seed and settings give the same history.
         */
        public Builder machineFleet(long seed) {
            this.fleetSeed = seed;
            return this;
        }

        public NodeMemoryHistory build() {
            if (instances < 1) {
                throw new IllegalArgumentException("instances must be at least 1, got " + instances);
            }
            if (groups < 1) {
                throw new IllegalArgumentException("groups must be at least 1, got " + groups);
            }
            if (start == null) {
                throw new IllegalArgumentException("start must be set");
            }
            if (duration == null) {
                throw new IllegalArgumentException("duration must be set");
            }
            if (interval == null || interval.toMillis() <= 0) {
                throw new IllegalArgumentException("interval must be positive, got " + interval);
            }
            PrometheusTime.requireMillisecondPrecision("start", start);
            PrometheusTime.requireMillisecondPrecision("interval", interval);
            PrometheusTime.requireMillisecondPrecision("duration", duration);
            if (duration.toMillis() < interval.toMillis() || duration.toMillis() % interval.toMillis() != 0) {
                throw new IllegalArgumentException(
                        "duration must be a positive whole multiple of interval (" + interval + "), got " + duration);
            }
            long samples = duration.toMillis() / interval.toMillis();
            if (specialSeries) {
                long gapMillis = (2 * samples / 3 - samples / 3) * interval.toMillis();
                long needed = LOOKBACK.toMillis() + interval.toMillis();
                if (gapMillis <= needed) {
                    throw new IllegalArgumentException("duration " + duration
                            + " is too short for specialSeries: the gap series"
                            + " drops the middle third, which must be longer than the 5-minute lookback plus one interval; use"
                            + " a duration longer than " + Duration.ofMillis(3 * needed + 3 * interval.toMillis()));
                }
            }
            return new NodeMemoryHistory(this);
        }
    }
}
