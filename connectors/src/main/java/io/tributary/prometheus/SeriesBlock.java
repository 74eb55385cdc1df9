package io.tributary.prometheus;

import java.util.Map;

/** The samples of one series in one response: its labels (including {@code __name__}) and parallel arrays. */
final class SeriesBlock {
  private final Map<String, String> labels;
  private final long[] timestampsMillis;
  private final double[] values;
  private final int size;

  SeriesBlock(Map<String, String> labels, long[] timestampsMillis, double[] values, int size) {
    this.labels = labels;
    this.timestampsMillis = timestampsMillis;
    this.values = values;
    this.size = size;
  }

  Map<String, String> labels() { return labels; }
  int size() { return size; }
  long timestampMillis(int i) { return timestampsMillis[i]; }
  double value(int i) { return values[i]; }
}
