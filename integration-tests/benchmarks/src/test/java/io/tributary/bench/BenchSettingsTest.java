package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class BenchSettingsTest {
    @Test
    void unsetGivesTheDefaultAndAValueIsTaken() {
        assertEquals(20, BenchSettings.positiveCount(Map.of(), "BENCH_WARMUP_ROUNDS", 20));
        assertEquals(3, BenchSettings.positiveCount(Map.of("BENCH_ROUNDS", " 3 "), "BENCH_ROUNDS", 5));
    }

    @Test
    void aBadValueIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"0", "-2", "five", "2.5"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BenchSettings.positiveCount(Map.of("BENCH_ROUNDS", bad), "BENCH_ROUNDS", 5));
            assertEquals("BENCH_ROUNDS must be a whole number of at least 1, but was '" + bad + "'", e.getMessage());
        }
    }
}
