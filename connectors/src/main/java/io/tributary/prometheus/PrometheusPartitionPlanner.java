package io.tributary.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a read into slices. Slice boundaries sit at multiples of the slice length counted from the global grid's
 * first point, so that pushdown narrowing never shifts them; each slice stays under Prometheus' 11,000 points
 * per series. layout=long reads one query per slice (slices × metrics); layout=wide reads all metrics of one time
 * slice together, to join them without a shuffle.
 */
final class PrometheusPartitionPlanner {
  private PrometheusPartitionPlanner() {}

  static long pointsPerSlice(long partitionMillis, long stepMillis) {
    long points = Math.max(1, partitionMillis / stepMillis);
    return Math.min(points, PrometheusSourceOptions.MAX_POINTS_PER_SERIES);
  }

  static List<RangeQuerySlice> plan(PrometheusReadPlan plan, long pointsPerSlice) {
    List<RangeQuerySlice> slices = new ArrayList<>();
    if (plan.firstIndex() >= plan.endIndex() || plan.queries().isEmpty()) {
      return slices;
    }
    boolean oneQueryPerSlice = plan.layout() == Layout.LONG;
    long sliceStart = Math.floorDiv(plan.firstIndex(), pointsPerSlice) * pointsPerSlice;
    for (long from = sliceStart; from < plan.endIndex(); from += pointsPerSlice) {
      long first = Math.max(from, plan.firstIndex());
      long end = Math.min(from + pointsPerSlice, plan.endIndex());
      if (oneQueryPerSlice) {
        for (int query = 0; query < plan.queries().size(); query++) {
          slices.add(new RangeQuerySlice(query, first, end));
        }
      } else {
        slices.add(new RangeQuerySlice(RangeQuerySlice.ALL_QUERIES, first, end));
      }
    }
    return slices;
  }
}
