package io.tributary.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OptionReaderTest {
    /** Whole seconds only, e.g. {@code 90s}: enough syntax to check the bounds. */
    private static final DurationSyntax SECONDS = new DurationSyntax() {
        @Override
        public BigInteger millis(String text) {
            return text.matches("\\d+s")
                    ? new BigInteger(text.substring(0, text.length() - 1)).multiply(BigInteger.valueOf(1000))
                    : null;
        }

        @Override
        public String description() {
            return "whole seconds such as 90s";
        }

        @Override
        public String render(Duration duration) {
            return duration.toSeconds() + "s";
        }
    };

    private static OptionReader reader(Map<String, String> options, Map<String, String> sessionConf) {
        return OptionReader.of("demo", options, sessionConf);
    }

    @Test
    void readOptionThenSessionConfThenDefault() {
        Map<String, String> conf = Map.of(
                "spark.tributary.demo.retries",
                "3",
                "spark.tributary.demo.name",
                "conf",
                "spark.tributary.other.name",
                "other",
                "spark.sql.shuffle.partitions",
                "2");
        OptionReader fromConf = reader(Map.of(), conf);
        assertEquals(3, fromConf.getInt("retries", 5, 0, 10));
        assertEquals("conf", fromConf.get("NAME"), "option names are case-insensitive");
        assertEquals(7, fromConf.getLong("absent", 7, 0, 10));
        OptionReader fromOption = reader(Map.of("Retries", "4", "name", " opt "), conf);
        assertEquals(4, fromOption.getInt("retries", 5, 0, 10));
        assertEquals(" opt ", fromOption.get("name"), "values as given: secrets are not trimmed");
        assertTrue(fromOption.has("retries"));
        assertFalse(fromOption.has("absent"));
    }

    @Test
    void aReadOptionWinsOverABlankSessionConf() {
        assertEquals(
                "x",
                reader(Map.of("name", "x"), Map.of("spark.tributary.demo.name", " "))
                        .get("name"));
    }

    @ParameterizedTest(name = "option {0}=''{1}''")
    @CsvSource(
            delimiter = '|',
            value = {
                "name | '' | Option 'name' is blank: give a value, or leave the option out",
                "name | '  ' | Option 'name' is blank: give a value, or leave the option out"
            })
    void blankReadOptionsAreRefused(String option, String value, String message) {
        OptionReader reader = reader(Map.of(option, value), Map.of("spark.tributary.demo.name", "conf"));
        assertTrue(reader.has(option));
        assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> reader.get(option, "default"))
                        .getMessage());
    }

    @Test
    void blankSessionConfsAreRefusedByTheirKey() {
        assertEquals(
                "Session conf 'spark.tributary.demo.name' is blank: give a value, or unset it",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of(), Map.of("spark.tributary.demo.name", ""))
                                        .get("name"))
                        .getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2147483648 | Option 'n' must be a whole number from 1 to 1000, got '2147483648'",
                "99999999999999999999999 | Option 'n' must be a whole number from 1 to 1000, got '99999999999999999999999'",
                "0 | Option 'n' must be a whole number from 1 to 1000, got '0'",
                "1001 | Option 'n' must be a whole number from 1 to 1000, got '1001'",
                "1.5 | Option 'n' must be a whole number from 1 to 1000, got '1.5'",
                "ten | Option 'n' must be a whole number from 1 to 1000, got 'ten'"
            })
    void wholeNumbersOutOfRangeAreRefused(String value, String message) {
        assertEquals(
                message,
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("n", value), Map.of()).getInt("n", 1, 1, 1000))
                        .getMessage());
    }

    @Test
    void wholeNumbersAtTheBoundsAreTaken() {
        assertEquals(
                Long.MAX_VALUE,
                reader(Map.of("n", "9223372036854775807"), Map.of()).getLong("n", 1, 0, Long.MAX_VALUE));
        assertEquals(-3, reader(Map.of("n", " -3 "), Map.of()).getInt("n", 1, -3, 3));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0s | Option 'd' must be whole seconds such as 90s, from 1s to 60s, got '0s'",
                "61s | Option 'd' must be whole seconds such as 90s, from 1s to 60s, got '61s'",
                "99999999999999999999999s | Option 'd' must be whole seconds such as 90s, from 1s to 60s,"
                        + " got '99999999999999999999999s'",
                "1m | Option 'd' must be whole seconds such as 90s, from 1s to 60s, got '1m'"
            })
    void durationsOutOfRangeAreRefused(String value, String message) {
        assertEquals(
                message,
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("d", value), Map.of())
                                        .getDuration(
                                                "d",
                                                Duration.ofSeconds(5),
                                                SECONDS,
                                                Duration.ofSeconds(1),
                                                Duration.ofSeconds(60)))
                        .getMessage());
    }

    @Test
    void durationsAndBooleans() {
        OptionReader reader = reader(Map.of("d", "60s", "b", " TRUE "), Map.of());
        assertEquals(
                Duration.ofMinutes(1),
                reader.getDuration("d", Duration.ZERO, SECONDS, Duration.ofSeconds(1), Duration.ofSeconds(60)));
        assertTrue(reader.getBoolean("b", false));
        assertEquals(
                "Option 'b' must be true or false, got 'yes'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("b", "yes"), Map.of()).getBoolean("b", false))
                        .getMessage());
    }

    @Test
    void prefixedOptionsKeepTheirNamesAndReadOptionsWin() {
        OptionReader reader = reader(
                Map.of("header.X-Org", "a"),
                Map.of("spark.tributary.demo.header.x-org", "b", "spark.tributary.demo.header.X-Other", "c"));
        assertEquals(Map.of("X-Org", "a", "X-Other", "c"), Map.copyOf(reader.withPrefix("header.")));
    }

    @Test
    void blankPrefixedOptionsAreRefusedByTheirName() {
        assertEquals(
                "Option 'header.X-Org' is blank: give a value, or leave the option out",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("header.X-Org", " "), Map.of())
                                        .withPrefix("header."))
                        .getMessage());
        assertEquals(
                "Session conf 'spark.tributary.demo.header.X-Other' is blank: give a value, or unset it",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of(), Map.of("spark.tributary.demo.header.X-Other", ""))
                                        .withPrefix("header."))
                        .getMessage());
        assertEquals(
                Map.of("X-Org", "a"),
                reader(Map.of("header.X-Org", "a"), Map.of("spark.tributary.demo.header.x-org", ""))
                        .withPrefix("header."));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            nullValues = "none",
            value = {
                "partitonDuration, partitionDuration",
                "stpe, step",
                "STP, step",
                "stop, step",
                "retrys, retries",
                "bogus, none",
                "steps2x, none",
                "s, none",
            })
    void theClosestKnownOptionIsSuggestedWhenItIsClose(String name, String expected) {
        assertEquals(expected, OptionReader.closest(name, List.of("step", "start", "partitionDuration", "retries")));
    }

    @Test
    void unknownOptionsAreRefusedExceptPrefixedAndSparksOwn() {
        OptionReader reader = reader(
                Map.of("Step", "1", "header.A", "x", "path", "/p", "paths", "[]"),
                Map.of("spark.tributary.demo.header.B", "y", "spark.tributary.other.stpe", "z"));
        reader.refuseUnknown(List.of("step"), List.of("header."), "See the docs");
        IllegalArgumentException error = assertThrows(
                IllegalArgumentException.class,
                () -> reader(Map.of(), Map.of("spark.tributary.demo.paths", "[]"))
                        .refuseUnknown(List.of("step"), List.of(), "See the docs"));
        assertEquals("Unknown session conf 'spark.tributary.demo.paths'. See the docs", error.getMessage());
    }

    @Test
    void optionsOnlyAndSessionConfsOnlyReadOneSideAndNameConfsByTheirKey() {
        OptionReader reader = reader(
                Map.of("mode", "a", "workers", "x"),
                Map.of("spark.tributary.demo.mode", "b", "spark.tributary.demo.workers", "0"));
        assertEquals("a", reader.optionsOnly().get("mode"));
        assertEquals("b", reader.sessionConfsOnly().get("mode"));
        assertEquals(
                null,
                reader(Map.of(), Map.of("spark.tributary.demo.mode", "b"))
                        .optionsOnly()
                        .get("mode"));
        assertEquals(
                "Conf 'spark.tributary.demo.workers' must be a whole number from 1 to 8, got '0'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader.sessionConfsOnly().getInt("workers", 1, 1, 8))
                        .getMessage());
    }

    @Test
    void optionsAndSessionConfsCanHaveNamesOfTheirOwn() {
        OptionReader.Names options = new OptionReader.Names(List.of("mode"), List.of());
        OptionReader.Names confs = new OptionReader.Names(List.of("workers"), List.of("conf."));
        reader(Map.of("mode", "a"), Map.of("spark.tributary.demo.workers", "2", "spark.tributary.demo.conf.x", "y"))
                .refuseUnknown(options, confs, "See the docs");
        assertEquals(
                "Unknown option 'path'. See the docs",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("path", "/p"), Map.of())
                                        .refuseUnknown(options, confs, "See the docs"))
                        .getMessage(),
                "Spark's own options are taken only by the sources Spark reads");
        assertEquals(
                "Unknown option 'workers'; unknown session conf 'spark.tributary.demo.mode'. See the docs",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("workers", "2"), Map.of("spark.tributary.demo.mode", "a"))
                                        .refuseUnknown(options, confs, "See the docs"))
                        .getMessage());
    }

    enum Shape {
        LONG,
        WIDE
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"long | LONG", "' Wide ' | WIDE"})
    void enumsAreTheirConstantsNamedInAnyCase(String value, Shape expected) {
        assertEquals(expected, reader(Map.of("shape", value), Map.of()).getEnum("shape", Shape.LONG, Shape.class));
    }

    @Test
    void anUnknownEnumValueListsTheConstants() {
        assertEquals(Shape.WIDE, reader(Map.of(), Map.of()).getEnum("shape", Shape.WIDE, Shape.class));
        assertEquals(
                "Option 'shape' must be one of long, wide, got 'tall'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("shape", "tall"), Map.of())
                                        .getEnum("shape", Shape.LONG, Shape.class))
                        .getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"4096 | 4096", "4k | 4096", "4KB | 4096", "2m | 2097152", "1g | 1073741824", "1t | 1099511627776"})
    void sizesInSparksUnits(String value, long bytes) {
        assertEquals(bytes, reader(Map.of("s", value), Map.of()).getBytes("s", 1, 1, Long.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0 | Option 's' must be a size such as 512k, 64m or 1g (a bare number is bytes), from 1k to 16g, got '0'",
                "17g | Option 's' must be a size such as 512k, 64m or 1g (a bare number is bytes), from 1k to 16g, got '17g'",
                "lots | Option 's' must be a size such as 512k, 64m or 1g (a bare number is bytes), from 1k to 16g, got 'lots'",
                "99999999999999999999p | Option 's' must be a size such as 512k, 64m or 1g (a bare number is bytes), from 1k"
                        + " to 16g, got '99999999999999999999p'"
            })
    void sizesOutOfRangeAreRefused(String value, String message) {
        assertEquals(
                message,
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("s", value), Map.of()).getBytes("s", 1024, 1024, 16L << 30))
                        .getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "90 | PT1M30S",
                "1500ms | PT1.5S",
                "30s | PT30S",
                "10m | PT10M",
                "10min | PT10M",
                "1h | PT1H",
                "2d | PT48H"
            })
    void standardDurations(String value, Duration expected) {
        assertEquals(
                expected,
                reader(Map.of("d", value), Map.of())
                        .getDuration("d", Duration.ZERO, StandardDuration.SYNTAX, Duration.ZERO, Duration.ofDays(365)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "-1 | from 0 to 365d, got '-1'",
                "366d | from 0 to 365d, got '366d'",
                "1.5s | from 0 to 365d, got '1.5s'",
                "10us | from 0 to 365d, got '10us'"
            })
    void standardDurationsOutOfRangeAreRefused(String value, String bounds) {
        assertEquals(
                "Option 'd' must be a duration such as 500ms, 30s, 10m, 1h or 1d (a bare number is seconds), " + bounds,
                assertThrows(
                                IllegalArgumentException.class,
                                () -> reader(Map.of("d", value), Map.of())
                                        .getDuration(
                                                "d",
                                                Duration.ZERO,
                                                StandardDuration.SYNTAX,
                                                Duration.ZERO,
                                                Duration.ofDays(365)))
                        .getMessage());
    }
}
