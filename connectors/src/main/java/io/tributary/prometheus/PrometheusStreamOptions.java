package io.tributary.prometheus;

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
  static final String DEFAULT_LATENESS = "1m";
  /** The batch reader's largest automatic slice: a backfill batch is then at most a day of requests. */
  static final String DEFAULT_MAX_BATCH_DURATION = "1d";

  private final Duration lateness;
  private final Duration maxBatchDuration;
  private final boolean endGiven;

  private PrometheusStreamOptions(Duration lateness, Duration maxBatchDuration, boolean endGiven) {
    this.lateness = lateness;
    this.maxBatchDuration = maxBatchDuration;
    this.endGiven = endGiven;
  }

  /** @throws IllegalArgumentException naming the option at fault */
  static PrometheusStreamOptions from(OptionLookup lookup, Duration step) {
    Duration lateness = PrometheusDuration.parse(LATENESS, lookup.get(LATENESS, DEFAULT_LATENESS));
    Duration maxBatch =
        PrometheusDuration.parse(MAX_BATCH_DURATION, lookup.get(MAX_BATCH_DURATION, DEFAULT_MAX_BATCH_DURATION));
    if (maxBatch.compareTo(step) < 0) {
      throw new IllegalArgumentException("Option '" + MAX_BATCH_DURATION + "' (" + PrometheusDuration.format(maxBatch)
          + ") is shorter than option '" + PrometheusSourceOptions.STEP + "' (" + PrometheusDuration.format(step)
          + "); a batch reads at least one grid point");
    }
    return new PrometheusStreamOptions(lateness, maxBatch, lookup.has(PrometheusSourceOptions.END));
  }

  /** How far behind "now" a stream's batches end. */
  Duration lateness() { return lateness; }
  /** The longest window one batch reads; rounded down to whole steps. */
  Duration maxBatchDuration() { return maxBatchDuration; }
  /** Whether {@code end} was set, which a stream rejects: its batches end at now minus lateness. */
  boolean endGiven() { return endGiven; }

  @Override
  public String toString() {
    return LATENESS + "=" + PrometheusDuration.format(lateness) + ", " + MAX_BATCH_DURATION + "="
        + PrometheusDuration.format(maxBatchDuration);
  }
}
