package io.tributary.bench.trino;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PrometheusSampleCountTest {
    @Test
    void prometheusCountsTheSamplesFromTheFirstToTheLastBothIncluded() {
        assertEquals(
                "sum(count_over_time(node_memory_MemFree_bytes[259185000ms]))",
                PrometheusSampleCount.query(
                        "node_memory_MemFree_bytes",
                        Instant.parse("2023-01-01T00:00:00Z"),
                        Instant.parse("2023-01-03T23:59:45Z")));
    }
}
