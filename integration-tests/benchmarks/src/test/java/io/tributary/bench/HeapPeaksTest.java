package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeapPeaksTest {
    @Test
    void theLastPrintedLineIsReadBack() {
        String output = "Spark says hello\n"
                + HeapPeaks.format(new HeapPeaks.Peaks(1, 2, 3)) + "\n"
                + "24/12/06 WARN something\n"
                + HeapPeaks.format(new HeapPeaks.Peaks(734003200L, 367001600L, 4294967296L)) + "\n"
                + "Spark says goodbye\n";
        assertEquals(Optional.of(new HeapPeaks.Peaks(734003200L, 367001600L, 4294967296L)), HeapPeaks.parse(output));
        assertEquals(
                "tributary-bench heap peaks: old gen peak used 1 bytes, largest heap after a GC 2 bytes, max heap 3 bytes",
                HeapPeaks.format(new HeapPeaks.Peaks(1, 2, 3)));
        assertEquals(Optional.empty(), HeapPeaks.parse("no figures\n"));
    }

    @Test
    void thisJvmsPeaksSeeWhatItKeptAlive() {
        HeapPeaks heap = HeapPeaks.watch();
        byte[][] kept = new byte[64][];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = new byte[1 << 20];
        }
        System.gc();
        HeapPeaks.Peaks peaks = heap.peaks();
        assertTrue(kept[63].length == 1 << 20);
        assertTrue(peaks.largestAfterGcBytes() >= 64L << 20, peaks.toString());
        assertTrue(peaks.oldGenPeakBytes() >= 64L << 20, peaks.toString());
        assertEquals(Runtime.getRuntime().maxMemory(), peaks.maxHeapBytes());
    }
}
