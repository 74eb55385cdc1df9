package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BenchSettingsTest {
    @Test
    void unsetGivesTheDefaultAndAValueIsTaken() {
        assertEquals(20, BenchSettings.positiveCount(Map.of(), "BENCH_WARMUP_ROUNDS", 20));
        assertEquals(3, BenchSettings.positiveCount(Map.of("BENCH_ROUNDS", " 3 "), "BENCH_ROUNDS", 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "five", "2.5"})
    void aBadValueIsRefusedNamingTheVariable(String bad) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BenchSettings.positiveCount(Map.of("BENCH_ROUNDS", bad), "BENCH_ROUNDS", 5));
        assertEquals("BENCH_ROUNDS must be a whole number of at least 1, but was '" + bad + "'", e.getMessage());
    }

    @Test
    void aCountMayBeZeroButNotNegative() {
        assertEquals(0, BenchSettings.count(Map.of("BENCH_COLD_RUNS", "0"), "BENCH_COLD_RUNS", 1));
        assertEquals(1, BenchSettings.count(Map.of(), "BENCH_COLD_RUNS", 1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> BenchSettings.count(Map.of("BENCH_COLD_RUNS", "-1"), "BENCH_COLD_RUNS", 1));
        assertEquals("BENCH_COLD_RUNS must be a whole number of at least 0, but was '-1'", e.getMessage());
    }

    @Test
    void theCacheDirectoryIsTheVariableThenXdgThenHome() {
        Path home = Path.of("/home/someone");
        assertEquals(
                Path.of("/data/bench-cache"),
                BenchSettings.cacheDirectory(
                        Map.of("BENCH_CACHE_DIR", "/data/bench-cache", "XDG_CACHE_HOME", "/xdg"), home));
        assertEquals(
                Path.of("/xdg/tributary-bench"), BenchSettings.cacheDirectory(Map.of("XDG_CACHE_HOME", "/xdg"), home));
        assertEquals(Path.of("/home/someone/.cache/tributary-bench"), BenchSettings.cacheDirectory(Map.of(), home));
    }
}
