package io.tributary.prometheus;

import java.util.Locale;

/** How a Prometheus scan reads. */
enum ReadMode {
    /** {@code /api/v1/query_range}: PromQL evaluated on a step grid, with the 5-minute lookback. */
    RANGE,
    /** {@code /api/v1/read} (remote read): the raw samples as stored, no step, no lookback. */
    RAW;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
