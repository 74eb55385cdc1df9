package io.tributary.testing.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeQueryTest {
    private static final Instant DAY1 = Instant.parse("2023-01-01T00:00:00Z");
    private static final Duration STEP = Duration.ofSeconds(15);

    @Test
    void metricByDayCoversEveryDayStartingBeforeTheEnd() {
        List<RangeQuery> queries =
                RangeQuery.metricByDay(List.of("a", "b"), DAY1, Instant.parse("2023-01-03T12:00:00Z"), STEP);
        assertEquals(
                List.of(
                        new RangeQuery("a", DAY1, Instant.parse("2023-01-02T00:00:00Z"), STEP),
                        new RangeQuery(
                                "a",
                                Instant.parse("2023-01-02T00:00:00Z"),
                                Instant.parse("2023-01-03T00:00:00Z"),
                                STEP),
                        new RangeQuery(
                                "a",
                                Instant.parse("2023-01-03T00:00:00Z"),
                                Instant.parse("2023-01-04T00:00:00Z"),
                                STEP),
                        new RangeQuery("b", DAY1, Instant.parse("2023-01-02T00:00:00Z"), STEP),
                        new RangeQuery(
                                "b",
                                Instant.parse("2023-01-02T00:00:00Z"),
                                Instant.parse("2023-01-03T00:00:00Z"),
                                STEP),
                        new RangeQuery(
                                "b",
                                Instant.parse("2023-01-03T00:00:00Z"),
                                Instant.parse("2023-01-04T00:00:00Z"),
                                STEP)),
                queries);
    }

    @Test
    void encodesParametersAsTheApiExpects() {
        RangeQuery query = new RangeQuery("up{job=\"node\"}", DAY1, DAY1.plusMillis(1500), Duration.ofMillis(500));
        assertEquals(
                "query=up%7Bjob%3D%22node%22%7D&start=1672531200&end=1672531201.5&step=0.5", query.encodedParameters());
    }

    @Test
    void rejectsMistakesNamingTheField() {
        assertEquals(
                "end (2022-12-31T00:00:00Z) must not be before start (2023-01-01T00:00:00Z)",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> new RangeQuery("up", DAY1, DAY1.minus(Duration.ofDays(1)), STEP))
                        .getMessage());
        assertEquals(
                "step must be positive, got PT0S",
                assertThrows(IllegalArgumentException.class, () -> new RangeQuery("up", DAY1, DAY1, Duration.ZERO))
                        .getMessage());
        assertEquals(
                "query must be non-empty PromQL",
                assertThrows(IllegalArgumentException.class, () -> new RangeQuery(" ", DAY1, DAY1, STEP))
                        .getMessage());
    }

    @Test
    void ceilingResultPrintsOneJsonLine() {
        assertEquals(
                "{\"requests\": 4, \"series\": 12, \"samples\": 6000, \"bytes\": 171234, \"seconds\": 0.125}",
                new JsonApiCeilingClient.Result(4, 12, 6000, 171234, 0.125).toJson());
    }
}
