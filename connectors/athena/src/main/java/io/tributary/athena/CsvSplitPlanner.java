package io.tributary.athena;

import java.util.ArrayList;
import java.util.List;

/** Cuts the result CSV into byte ranges of about {@code csvSplitSize}; no I/O beyond the file size. */
final class CsvSplitPlanner {
    private CsvSplitPlanner() {}

    static List<CsvSplit> plan(S3Location file, long fileSize, long splitSize) {
        List<CsvSplit> splits = new ArrayList<>();
        long count = Math.max(1, (fileSize + splitSize - 1) / splitSize);
        for (long i = 0; i < count; i++) {
            splits.add(new CsvSplit(file, i * splitSize, Math.min(fileSize, (i + 1) * splitSize), fileSize));
        }
        return splits;
    }
}
