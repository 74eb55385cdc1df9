package io.tributary.bench.trino;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TimedCommandTest {
    @Test
    void gnuTimeFiguresAreReadFromTheLastLine() {
        assertArrayEquals(
                new double[] {21.37, 30.12, 2.05, 812344},
                TimedCommand.parseGnuTime("Command exited with non-zero status 1\n21.37 30.12 2.05 812344\n"));
    }

    @Test
    void anUnexpectedGnuTimeOutputFailsNamingTheFormat() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TimedCommand.parseGnuTime("0:21.37"));
        assertEquals("GNU time wrote '0:21.37', expected '%e %U %S %M'", e.getMessage());
    }
}
