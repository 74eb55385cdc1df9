package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshProcessRunTest {
    /** A real process that keeps 256 MiB resident and spends CPU, then lingers so that /proc polling sees it. */
    private static final List<String> WORK = List.of(
            "python3",
            "-c",
            "import time\nb = bytearray(b'x' * (256 << 20))\ns = sum(range(3_000_000))\ntime.sleep(0.3)\nprint(len(b))");

    @TempDir
    Path dir;

    @Test
    void timesOutputIsWallUserPlusSysAndKibibytes() {
        assertEquals(
                new FreshProcessRun.Cost(12.34, 21.5, 123456L * 1024, "/usr/bin/time"),
                FreshProcessRun.parseTime("Command exited with non-zero status 0\n12.34 20.00 1.50 123456\n"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FreshProcessRun.parseTime("12.3\n"));
        assertEquals("Unexpected output of /usr/bin/time -f '%e %U %S %M': '12.3\n'", e.getMessage());
    }

    @Test
    void procPollingSeesTheProcessesPeakAndItsCpu() throws Exception {
        assertPlausible(FreshProcessRun.measureWithProc(WORK, dir.resolve("proc.log")), "/proc");
    }

    @Test
    void usrBinTimeSeesTheSame() throws Exception {
        // dev/install-deps installs /usr/bin/time.
        assertPlausible(FreshProcessRun.measureWithTime(WORK, dir.resolve("time.log")), "/usr/bin/time");
    }

    @Test
    void aFailedJobIsReportedWithTheEndOfItsLog() {
        Path log = dir.resolve("failed.log");
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> FreshProcessRun.measureWithProc(List.of("sh", "-c", "echo the job says why; exit 3"), log));
        assertEquals(
                "sh -c echo the job says why; exit 3 exited with code 3; the end of its log " + log + ":\n"
                        + "the job says why",
                e.getMessage());
    }

    private static void assertPlausible(FreshProcessRun.Cost cost, String method) {
        assertEquals(method, cost.method());
        assertTrue(cost.peakRssBytes() >= 256L << 20, cost.toString());
        assertTrue(cost.cpuSeconds() > 0, cost.toString());
        assertTrue(cost.wallSeconds() >= 0.3, cost.toString());
    }
}
