package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The window a load reads and replaces, resolved once: no Spark session needed for that part. */
class PrometheusDeltaLoadTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2023-01-24T12:34:56Z"), ZoneOffset.UTC);

    private static Map<String, String> options(String start, String end) {
        Map<String, String> options = new HashMap<>();
        options.put("url", "http://127.0.0.1:9090");
        options.put("metrics", "up");
        options.put("start", start);
        if (end != null) {
            options.put("end", end);
        }
        return options;
    }

    @Test
    void theWindowIsStartToEndExclusive() {
        PrometheusDeltaLoad load = PrometheusDeltaLoad.window(
                null, options("2023-01-01T00:00:00Z", "2023-01-02T00:00:00Z"), Map.of(), NOW);
        assertEquals(Instant.parse("2023-01-01T00:00:00Z"), load.start());
        assertEquals(Instant.parse("2023-01-02T00:00:00Z"), load.end());
        assertEquals(
                "`timestamp` >= TIMESTAMP '2023-01-01T00:00:00Z' AND `timestamp` < TIMESTAMP '2023-01-02T00:00:00Z'",
                load.replaceWhere());
    }

    @Test
    void relativeTimesAreResolvedOnce() {
        PrometheusDeltaLoad load = PrometheusDeltaLoad.window(null, options("now-1d", null), Map.of(), NOW);
        assertEquals(
                "`timestamp` >= TIMESTAMP '2023-01-23T12:34:56Z' AND `timestamp` < TIMESTAMP '2023-01-24T12:34:56Z'",
                load.replaceWhere());
    }

    @Test
    void anEmptyWindowIsRefused() {
        String message = assertThrows(
                        IllegalArgumentException.class,
                        () -> PrometheusDeltaLoad.window(
                                null, options("2023-01-01T00:00:00Z", "2023-01-01T00:00:00Z"), Map.of(), NOW))
                .getMessage();
        assertEquals(
                "Option 'end' (2023-01-01T00:00:00Z) must be after option 'start' (2023-01-01T00:00:00Z) for a"
                        + " load: it replaces the window [start, end)",
                message);
    }
}
