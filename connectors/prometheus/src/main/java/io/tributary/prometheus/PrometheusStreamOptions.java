package io.tributary.prometheus;

import io.tributary.options.OptionReader;
import io.tributary.prometheus.client.PrometheusDuration;
import java.io.Serializable;
import java.time.Duration;

/**
 * The options only {@code spark.readStream().format("prometheus")} uses, parsed with the others by
 * {@link PrometheusSourceOptions#from}: how long to wait before a grid point counts as final ({@code lateness}) and
 * how much time one micro-batch reads at most ({@code maxBatchDuration}).
 */
final class PrometheusStreamOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String LATENESS = "lateness";
    static final String MAX_BATCH_DURATION = "maxBatchDuration";

    /**
     * A sample becomes visible when its scrape (or remote write) completes, after its timestamp; until then a grid
     * point at or after that timestamp still shows the previous sample through the 5-minute lookback. One minute is
     * four 15 s scrape intervals and six default 10 s scrape timeouts.
     */
    static final Duration DEFAULT_LATENESS = Duration.ofMinutes(1);
    /** The batch reader's largest automatic slice: a backfill batch is then at most a day of requests. */
    static final Duration DEFAULT_MAX_BATCH_DURATION = Duration.ofDays(1);

    private final Duration lateness;
    private final Duration maxBatchDuration;
    private final boolean maxBatchDurationGiven;
    private final boolean endGiven;

    private PrometheusStreamOptions(
            Duration lateness, Duration maxBatchDuration, boolean maxBatchDurationGiven, boolean endGiven) {
        this.lateness = lateness;
        this.maxBatchDuration = maxBatchDuration;
        this.maxBatchDurationGiven = maxBatchDurationGiven;
        this.endGiven = endGiven;
    }

    /**
     * Parsed for every read, checked against the rest of the options only by a stream
     * ({@link PrometheusMicroBatchStream#of}): a batch read does not use them.
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    static PrometheusStreamOptions from(OptionReader lookup) {
        Duration lateness = PrometheusSourceOptions.planDuration(lookup, LATENESS, DEFAULT_LATENESS);
        Duration maxBatch =
                PrometheusSourceOptions.planDuration(lookup, MAX_BATCH_DURATION, DEFAULT_MAX_BATCH_DURATION);
        return new PrometheusStreamOptions(
                lateness, maxBatch, lookup.has(MAX_BATCH_DURATION), lookup.has(PrometheusSourceOptions.END));
    }

    /** How far behind "now" a stream's batches end. */
    Duration lateness() {
        return lateness;
    }
    /** The longest window one batch reads; rounded down to whole steps. */
    Duration maxBatchDuration() {
        return maxBatchDuration;
    }
    /** Whether {@code maxBatchDuration} was set, rather than defaulted: messages say which. */
    boolean maxBatchDurationGiven() {
        return maxBatchDurationGiven;
    }
    /** Whether {@code end} was set, which a stream rejects: its batches end at now minus lateness. */
    boolean endGiven() {
        return endGiven;
    }

    @Override
    public String toString() {
        return LATENESS + "=" + PrometheusDuration.format(lateness) + ", " + MAX_BATCH_DURATION + "="
                + PrometheusDuration.format(maxBatchDuration);
    }
}
