package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A misspelt option fails the read, naming it and the option meant, instead of being silently ignored. */
class AthenaUnknownOptionsTest {
    private static final String DOCS = " The options of format(\"athena\") are listed in README.md under \"Athena\"";

    private static Map<String, String> query(String option, String value) {
        Map<String, String> options = new HashMap<>();
        options.put("query", "SELECT 1");
        options.put(option, value);
        return options;
    }

    @ParameterizedTest(name = "option {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "workGroup2      | Unknown option 'workGroup2': did you mean 'workgroup'?",
                "outputLocaton   | Unknown option 'outputLocaton': did you mean 'outputLocation'?",
                "fetchmod        | Unknown option 'fetchmod': did you mean 'fetchMode'?",
                "pollIntervall   | Unknown option 'pollIntervall': did you mean 'pollInterval'?",
                "secretKey       | Unknown option 'secretKey'.",
                "header.X-Team   | Unknown option 'header.X-Team'.",
            })
    void anUnknownReadOptionIsRefused(String option, String message) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> AthenaSourceOptions.from(query(option, "x")));
        assertEquals(message + DOCS, error.getMessage());
    }

    @Test
    void anUnknownSessionConfOfTheSourceIsRefused() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> AthenaSourceOptions.from(
                        query("database", "logs"), Map.of("spark.tributary.athena.regoin", "x")));
        assertEquals(
                "Unknown session conf 'spark.tributary.athena.regoin': did you mean 'spark.tributary.athena.region'?"
                        + DOCS,
                error.getMessage());
    }

    @Test
    void aValueOfAnUnknownOptionIsNeverShown() {
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> AthenaSourceOptions.from(query("secretAccesKey", "wJalrXUtnFEMI/K7MDENG")));
        assertEquals("Unknown option 'secretAccesKey': did you mean 'secretAccessKey'?" + DOCS, error.getMessage());
    }

    @Test
    void sparksOwnPathAndKnownOptionsInAnyCaseAreAccepted() {
        Map<String, String> options = query("path", "file:/warehouse/events");
        options.put("POLLINTERVAL", "2s");
        AthenaSourceOptions parsed = AthenaSourceOptions.from(
                options,
                Map.of("spark.tributary.athena.queryTimeout", "1h", "spark.tributary.python.executable", "python3"));
        assertEquals(Duration.ofSeconds(2), parsed.pollInterval());
        assertEquals(Duration.ofHours(1), parsed.queryTimeout());
    }
}
