package io.tributary.prometheus;

import java.util.Locale;

/** The row shape of a Prometheus scan. */
enum Layout {
  /** One row per sample: metric, labels, timestamp, value. */
  LONG,
  /** One row per (label set, timestamp), one DOUBLE column per metric: the seed's join, done while reading. */
  WIDE;

  static Layout parse(String option, String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "long": return LONG;
      case "wide": return WIDE;
      default:
        throw new IllegalArgumentException(
            "Option '" + option + "' must be 'long' or 'wide', got '" + text + "'");
    }
  }
}
