package io.tributary.testing.prometheus;

import static io.tributary.testing.prometheus.SharedPrometheus.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonApiCeilingClientIntegrationTest {
    private static final Instant DAY_END = START.plus(Duration.ofDays(1));

    @Test
    void countsEverySampleOfTheSeedRequests() throws Exception {
        String url = SharedPrometheus.server().url();
        List<RangeQuery> queries =
                RangeQuery.metricByDay(NodeMemoryHistory.NODE_MEMORY_METRICS, START, DAY_END, Duration.ofSeconds(15));
        long expectedBytes = 0;
        for (RangeQuery query : queries) {
            expectedBytes += PrometheusJson.HTTP
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "/api/v1/query_range?" + query.encodedParameters()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray())
                    .body()
                    .length;
        }

        JsonApiCeilingClient.Result result = new JsonApiCeilingClient(url, 2).run(queries);

        assertEquals(4, result.requests());
        assertEquals(12, result.series());
        // Per series: 480 samples plus 20 points of lookback after the last one.
        assertEquals(12 * 500, result.samples());
        assertEquals(expectedBytes, result.bytes());
        assertTrue(result.seconds() > 0);
    }

    @Test
    void prometheusErrorsCarryTheServersMessage() {
        String url = SharedPrometheus.server().url();
        IOException error = assertThrows(
                IOException.class,
                () -> new JsonApiCeilingClient(url, 1)
                        .run(List.of(new RangeQuery("sum(", START, DAY_END, Duration.ofSeconds(15)))));
        assertTrue(
                error.getMessage().contains("(HTTP 400): Prometheus answered status=error, errorType=bad_data: "),
                error.getMessage());
    }
}
