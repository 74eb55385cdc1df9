package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusDuration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;

/**
 * {@code spark.readStream().format("prometheus")}: a sequence of batch reads over successive time windows. Each
 * micro-batch reads the grid points in {@code [previous offset, now - lateness)} (at most
 * {@code maxBatchDuration}), cut into the batch reader's slices and read by its partition readers. A batch's
 * window is a pure function of its two offsets, so Spark replaying a batch from its offset log after a restart
 * reads the same points again: with an idempotent sink (Delta) the result is exactly-once.
 */
final class PrometheusMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow {
    /**
     * The grid of every batch: multiples of step from the Unix epoch. Its end only bounds the index arithmetic; the
     * readers use its timestamps, never its point count.
     */
    static final long GRID_END_MILLIS = Instant.parse("9999-12-31T23:59:59Z").toEpochMilli();

    private final RangeReadPlan plan;
    private final StreamWindowPlanner windows;
    private final Instant start;
    private final Duration partitionDuration;
    private final int parallelism;
    private final Clock clock;
    /** Set by {@link #prepareForTriggerAvailableNow()}: the fixed end of an AvailableNow run, else null. */
    private Long availableNowEnd;

    /**
     * @param scanPlan the scan's plan: queries, columns, connection (its grid and range are replaced per batch)
     * @param partitionDuration the slice length asked for, or null for the batch reader's automatic choice
     * @param parallelism Spark's task slots, for the automatic slice length
     * @param clock "now" for each batch's end
     */
    PrometheusMicroBatchStream(
            RangeReadPlan scanPlan,
            StreamWindowPlanner windows,
            Instant start,
            Duration partitionDuration,
            int parallelism,
            Clock clock) {
        this.plan = scanPlan.withRange(new TimeGrid(0, GRID_END_MILLIS, windows.stepMillis()), 0, 0);
        this.windows = windows;
        this.start = start;
        this.partitionDuration = partitionDuration;
        this.parallelism = parallelism;
        this.clock = clock;
    }

    /**
     * The stream of a scan's options.
     *
     * @throws IllegalArgumentException for options a stream cannot honour ({@code end}, a step longer than
     *     {@code maxBatchDuration}, batches of more partitions than {@link PlanBounds#MAX_PARTITIONS})
     */
    static PrometheusMicroBatchStream of(
            PrometheusSourceOptions options, RangeReadPlan scanPlan, int parallelism, Clock clock) {
        PrometheusStreamOptions stream = options.stream();
        if (stream.endGiven()) {
            throw new IllegalArgumentException("Option '" + PrometheusSourceOptions.END + "' does not apply to"
                    + " spark.readStream(): each batch ends at now minus option '" + PrometheusStreamOptions.LATENESS
                    + "'. Remove it, or read a bounded window with spark.read() or PrometheusDeltaLoad");
        }
        if (stream.maxBatchDuration().compareTo(options.step()) < 0) {
            // The step is what the user chose; the batch limit may be a default they never saw.
            throw new IllegalArgumentException("Option '" + PrometheusSourceOptions.STEP + "' ("
                    + PrometheusDuration.format(options.step()) + ") is longer than option '"
                    + PrometheusStreamOptions.MAX_BATCH_DURATION + "' ("
                    + PrometheusDuration.format(stream.maxBatchDuration())
                    + (stream.maxBatchDurationGiven() ? "" : ", its default")
                    + "), and a batch reads at least one grid point:"
                    + " lower '" + PrometheusSourceOptions.STEP + "' or set '"
                    + PrometheusStreamOptions.MAX_BATCH_DURATION
                    + "' to at least " + PrometheusDuration.format(options.step()));
        }
        StreamWindowPlanner windows =
                new StreamWindowPlanner(options.step(), stream.lateness(), stream.maxBatchDuration());
        long batchPoints = windows.maxBatchPoints();
        int queriesPerSlice = RangePartitionPlanner.queriesPerSlice(scanPlan);
        long pointsPerSlice = options.partitionDuration() != null
                ? RangePartitionPlanner.pointsPerSlice(
                        options.partitionDuration().toMillis(), windows.stepMillis())
                : RangePartitionPlanner.autoPointsPerSlice(
                        batchPoints, windows.stepMillis(), queriesPerSlice, parallelism);
        // A batch window need not start on a slice boundary: the worst case straddles one more slice.
        PlanBounds.checkBatchPartitions(
                PlanBounds.partitions(1, 1 + batchPoints, pointsPerSlice, queriesPerSlice),
                stream.maxBatchDuration(),
                options.step());
        return new PrometheusMicroBatchStream(
                scanPlan, windows, options.start(), options.partitionDuration(), parallelism, clock);
    }

    @Override
    public Offset initialOffset() {
        return offset(windows.firstOffset(start));
    }

    @Override
    public Offset deserializeOffset(String json) {
        return PrometheusTimeOffset.fromJson(json, windows.stepMillis());
    }

    /** Spark calls {@link #latestOffset(Offset, ReadLimit)} on sources with admission control. */
    @Override
    public Offset latestOffset() {
        throw new UnsupportedOperationException("latestOffset(Offset, ReadLimit) is the entry point of this stream");
    }

    /**
     * The end of the next batch. {@code maxBatchDuration} is this source's own limit and applies under every
     * trigger; Spark's row and file limits do not fit time windows, so {@code limit} (always
     * {@link ReadLimit#allAvailable()}, the default) is not consulted.
     */
    @Override
    public Offset latestOffset(Offset startOffset, ReadLimit limit) {
        long from = ((PrometheusTimeOffset) startOffset).timestampMillis();
        long available = availableNowEnd != null ? availableNowEnd : windows.availableEnd(clock.instant());
        return offset(windows.batchEnd(from, available));
    }

    /** For the query progress: how far the stream could read now, without the batch limit. */
    @Override
    public Offset reportLatestOffset() {
        return offset(windows.availableEnd(clock.instant()));
    }

    /** {@code Trigger.AvailableNow}: read up to now minus lateness, as it is now, in batches, then stop. */
    @Override
    public void prepareForTriggerAvailableNow() {
        availableNowEnd = windows.availableEnd(clock.instant());
    }

    @Override
    public InputPartition[] planInputPartitions(Offset startOffset, Offset endOffset) {
        long firstIndex = windows.indexOf(((PrometheusTimeOffset) startOffset).timestampMillis());
        long endIndex = windows.indexOf(((PrometheusTimeOffset) endOffset).timestampMillis());
        RangeReadPlan window = plan.withRange(plan.grid(), firstIndex, Math.max(firstIndex, endIndex));
        long pointsPerSlice = RangePartitionPlanner.pointsPerSlice(partitionDuration, window, parallelism);
        return RangePartition.of(RangePartitionPlanner.plan(window, pointsPerSlice));
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        return new RangePartitionReaderFactory(plan);
    }

    /** Nothing to release: every window is read afresh from the server, which keeps the data. */
    @Override
    public void commit(Offset end) {}

    @Override
    public void stop() {}

    private PrometheusTimeOffset offset(long timestampMillis) {
        return new PrometheusTimeOffset(timestampMillis, windows.stepMillis());
    }

    @Override
    public String toString() {
        return "PrometheusMicroBatchStream[" + plan.connection().displayUrl() + ", queries=" + plan.queries() + "]";
    }
}
