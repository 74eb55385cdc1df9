package io.tributary.prometheus;

/** The row shape of a Prometheus scan. */
enum Layout {
    /** One row per sample: metric, labels, timestamp, value. */
    LONG,
    /** One row per (label set, timestamp), one DOUBLE column per metric: the seed's join, done while reading. */
    WIDE;
}
