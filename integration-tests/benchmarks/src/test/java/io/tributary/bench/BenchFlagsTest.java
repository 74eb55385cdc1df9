package io.tributary.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BenchFlagsTest {
    @Test
    void valuesAndDefaults() {
        BenchFlags flags = BenchFlags.parse(
                new String[] {"--days", "23", "--mode", "raw", "--work-dir", "/data/bench"},
                "--days",
                "--instances",
                "--mode",
                "--work-dir",
                "--python");
        assertEquals(23, flags.positive("--days", 3));
        assertEquals(50, flags.positive("--instances", 50));
        assertEquals("raw", flags.oneOf("--mode", "range", "range", "raw"));
        assertEquals(Path.of("/data/bench"), flags.path("--work-dir", Path.of("target")));
        assertEquals(Optional.empty(), flags.text("--python"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "--dayz 3|Unknown argument --dayz; allowed: --days, --mode",
                "--days|Argument --days needs a value",
                "--days 3 --days 4|Argument --days is given twice",
                "--days 0|--days takes a whole number of at least 1, got 0",
                "--days three|--days takes a whole number of at least 1, got three",
                "--mode fast|--mode takes range or raw, got fast"
            })
    void mistakesNameTheArgument(String args, String message) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> {
            BenchFlags flags = BenchFlags.parse(args.split(" "), "--days", "--mode");
            flags.positive("--days", 3);
            flags.oneOf("--mode", "range", "range", "raw");
        });
        assertEquals(message, error.getMessage());
    }
}
