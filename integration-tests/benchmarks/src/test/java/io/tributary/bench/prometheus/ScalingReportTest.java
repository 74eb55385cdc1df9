package io.tributary.bench.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tributary.bench.FreshProcessRun;
import io.tributary.bench.HeapPeaks;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingReportTest {
    private static final long MIB = 1L << 20;

    @Test
    void cpuPerSampleIsComparedWithTheJobsFirstSizeTheMarginalCostWithItsFirstSizeOfAsManyInstances() {
        ScalingReport report = new ScalingReport();
        report.add(entry("50x1d", "long-delta", 1_000_000, 2.0, 4.0, "0.50, 0.40, 0.30"));
        report.add(entry("50x1d", "count", 1_000_000, 1.0, 1.0, "0.60, 0.40, 0.30"));
        report.add(entry("50x4d", "long-delta", 4_000_000, 6.0, 18.0, "1.00, 0.50, 0.30"));
        report.add(entry("50x4d", "count", 4_000_000, 2.0, 3.0, "1.10, 0.50, 0.30"));
        report.add(entry("5000x14m30s", "count", 1_010_000, 1.5, 1.2, "1.20, 0.50, 0.30"));
        assertEquals(
                List.of(
                        "size         job              samples   wall s    CPU s Prom CPU  peak RSS   old gen  after GC"
                                + "  CPU ns/sa wall ns/sa  CPU/sa marginal ns  load before",
                        "50x1d        long-delta     1,000,000     2.00     4.00     0.25   900 MiB   100 MiB    50 MiB"
                                + "       4000       2000   1.00x           -  0.50, 0.40, 0.30",
                        "50x1d        count          1,000,000     1.00     1.00     0.25   900 MiB   100 MiB    50 MiB"
                                + "       1000       1000   1.00x           -  0.60, 0.40, 0.30",
                        "50x4d        long-delta     4,000,000     6.00    18.00     0.25   900 MiB   100 MiB    50 MiB"
                                + "       4500       1500   1.13x        4667  1.00, 0.50, 0.30",
                        "50x4d        count          4,000,000     2.00     3.00     0.25   900 MiB   100 MiB    50 MiB"
                                + "        750        500   0.75x         667  1.10, 0.50, 0.30",
                        "5000x14m30s  count          1,010,000     1.50     1.20     0.25   900 MiB   100 MiB    50 MiB"
                                + "       1188       1485   1.19x           -  1.20, 0.50, 0.30"),
                report.lines());
    }

    private static ScalingReport.Entry entry(
            String point, String job, long samples, double wall, double cpu, String load) {
        return new ScalingReport.Entry(
                ScalingPoint.parse(point),
                job,
                samples,
                new FreshProcessRun.Cost(wall, cpu, 900 * MIB, "/usr/bin/time"),
                new HeapPeaks.Peaks(100 * MIB, 50 * MIB, 4096 * MIB),
                0.25,
                load);
    }
}
