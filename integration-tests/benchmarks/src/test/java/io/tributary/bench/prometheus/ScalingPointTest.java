package io.tributary.bench.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScalingPointTest {
    @Test
    void theDefaultPointsAreTheSizesOfTheScalingRun() {
        assertEquals(
                List.of(
                        new ScalingPoint(50, Duration.ofDays(1)),
                        new ScalingPoint(50, Duration.ofDays(4)),
                        new ScalingPoint(50, Duration.ofDays(16)),
                        new ScalingPoint(500, Duration.ofMinutes(144)),
                        new ScalingPoint(5000, Duration.ofSeconds(870))),
                ScalingPoint.parseList(PrometheusScalingBenchmark.DEFAULT_POINTS));
    }

    @ParameterizedTest
    @CsvSource({
        "50x1d,50x1d",
        "500x2h24m,500x2h24m",
        "5000x14m30s,5000x14m30s",
        "7x1d1h1m15s,7x1d1h1m15s",
        "3x90m,3x1h30m",
        "2x86400s,2x1d"
    })
    void aLabelIsTheSpanInItsLargestUnits(String text, String label) {
        assertEquals(label, ScalingPoint.parse(text).label());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "50|--points takes INSTANCESxSPAN with SPAN in d, h, m, s, largest first (50x1d, 5000x14m30s), got '50'",
                "50x|--points takes INSTANCESxSPAN with SPAN in d, h, m, s, largest first (50x1d, 5000x14m30s), got '50x'",
                "50x1h1d|--points takes INSTANCESxSPAN with SPAN in d, h, m, s, largest first (50x1d, 5000x14m30s), got '50x1h1d'",
                "0x1d|--points needs at least 1 instance and a span of a whole number of 15 s steps, at least one, got '0x1d'",
                "50x10s|--points needs at least 1 instance and a span of a whole number of 15 s steps, at least one, got '50x10s'",
                "50x0d|--points needs at least 1 instance and a span of a whole number of 15 s steps, at least one, got '50x0d'"
            })
    void mistakesNameTheArgument(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScalingPoint.parseList(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void anEmptyItemOfTheListIsAMistake() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ScalingPoint.parseList("50x1d,"));
        assertEquals(
                "--points takes INSTANCESxSPAN with SPAN in d, h, m, s, largest first (50x1d, 5000x14m30s), got ''",
                e.getMessage());
    }

    @Test
    void wholeDaysKeepTheCacheNameOfEarlierRunsOtherSpansAreInSeconds() {
        assertEquals(
                "prometheus-node-memory-50instances-4groups-3days-15s-from-1672531200",
                BenchHistory.cacheKey(50, Duration.ofDays(3)));
        assertEquals(
                "prometheus-node-memory-5000instances-4groups-870seconds-15s-from-1672531200",
                BenchHistory.cacheKey(5000, Duration.ofSeconds(870)));
    }
}
