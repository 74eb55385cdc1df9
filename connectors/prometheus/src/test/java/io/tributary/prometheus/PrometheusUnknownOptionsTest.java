package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A misspelt option fails the read, naming it and the option meant, instead of being silently ignored. */
class PrometheusUnknownOptionsTest {
    private static final String DOCS = " The options of format(\"prometheus\") are listed in README.md under"
            + " \"Prometheus\" > \"Options\" (lateness and maxBatchDuration under \"Streaming\")";

    @ParameterizedTest(name = "option {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "partitonDuration | Unknown option 'partitonDuration': did you mean 'partitionDuration'?",
                "PARTITONDURATION | Unknown option 'PARTITONDURATION': did you mean 'partitionDuration'?",
                "stpe             | Unknown option 'stpe': did you mean 'step'?",
                "timout           | Unknown option 'timout': did you mean 'timeout'?",
                "maxRetry         | Unknown option 'maxRetry': did you mean 'maxRetries'?",
                "latenes          | Unknown option 'latenes': did you mean 'lateness'?",
                "headers.X-Org    | Unknown option 'headers.X-Org'.",
                "header.          | Unknown option 'header.'.",
                "bogus            | Unknown option 'bogus'.",
            })
    void anUnknownReadOptionIsRefused(String option, String message) {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put(option, "1");
        assertEquals(message + DOCS, PrometheusSourceOptionsTest.errorOf(options));
    }

    @ParameterizedTest(name = "session conf {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "spark.tributary.prometheus.partitonDuration | Unknown session conf"
                        + " 'spark.tributary.prometheus.partitonDuration': did you mean"
                        + " 'spark.tributary.prometheus.partitionDuration'?",
                "spark.tributary.prometheus.path             | Unknown session conf 'spark.tributary.prometheus.path'.",
            })
    void anUnknownSessionConfOfTheSourceIsRefused(String conf, String message) {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> PrometheusSourceOptions.from(
                        PrometheusSourceOptionsTest.base(), Map.of(conf, "1"), PrometheusSourceOptionsTest.NOW));
        assertEquals(message + DOCS, error.getMessage());
    }

    @Test
    void everyUnknownOptionIsNamedInOneMessage() {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put("stpe", "1m");
        options.put("timout", "1m");
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> PrometheusSourceOptions.from(
                        options, Map.of("spark.tributary.prometheus.maxRetry", "3"), PrometheusSourceOptionsTest.NOW));
        assertEquals(
                "Unknown option 'stpe': did you mean 'step'?; unknown option 'timout': did you mean 'timeout'?;"
                        + " unknown session conf 'spark.tributary.prometheus.maxRetry': did you mean"
                        + " 'spark.tributary.prometheus.maxRetries'?" + DOCS,
                error.getMessage());
    }

    @Test
    void knownOptionsInAnyCaseHeadersSparksOwnOptionsAndOtherConfsAreAccepted() {
        Map<String, String> options = new HashMap<>(PrometheusSourceOptionsTest.base());
        options.put("STEP", "1m");
        options.put("header.X-Scope-OrgID", "tenant-1");
        options.put("path", "/ignored/by/this/source");
        options.put("lateness", "2m");
        options.put("allowpartialresponse", "true");
        Map<String, String> conf = Map.of(
                "spark.tributary.prometheus.timeout",
                "30s",
                "spark.tributary.prometheus.header.X-Team",
                "a",
                "spark.tributary.prometheusx.stpe",
                "1",
                "spark.tributary.python.executable",
                "python3",
                "spark.sql.shuffle.partitions",
                "2");
        PrometheusSourceOptions parsed = PrometheusSourceOptions.from(options, conf, PrometheusSourceOptionsTest.NOW);
        assertEquals("PT1M", parsed.step().toString());
        assertEquals("PT30S", parsed.connection().timeout().toString());
    }
}
