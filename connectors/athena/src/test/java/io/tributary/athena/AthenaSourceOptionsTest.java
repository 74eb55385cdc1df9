package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AthenaSourceOptionsTest {
    private static Map<String, String> query(String... pairs) {
        Map<String, String> options = new HashMap<>();
        options.put("query", "SELECT 1");
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return options;
    }

    private static String error(Map<String, String> options) {
        return assertThrows(IllegalArgumentException.class, () -> AthenaSourceOptions.from(options))
                .getMessage();
    }

    @Test
    void defaults() {
        AthenaSourceOptions options = AthenaSourceOptions.from(query());
        assertEquals("SELECT 1", options.query());
        assertNull(options.table());
        assertEquals("AwsDataCatalog", options.catalog());
        assertEquals("primary", options.workgroup());
        assertEquals(FetchMode.AUTO, options.fetchMode());
        assertEquals(Duration.ofMillis(500), options.pollInterval());
        assertEquals(Duration.ofMinutes(30), options.queryTimeout());
        assertEquals(10, options.maxRetries());
        assertEquals(64L << 20, options.csvSplitSize());
        assertEquals(0, options.resultReuseMaxAgeMinutes());
        assertEquals(List.of(), options.executionParameters());
        assertFalse(options.keepUnloadOutput());
        assertFalse(options.s3PathStyle());
        assertNull(options.outputLocation());
    }

    @Test
    void readOptionBeatsSessionConfWhichBeatsDefault() {
        Map<String, String> session = Map.of(
                "spark.tributary.athena.workgroup",
                "etl",
                "spark.tributary.athena.fetchMode",
                "csv",
                "spark.sql.shuffle.partitions",
                "2");
        AthenaSourceOptions options = AthenaSourceOptions.from(query("fetchMode", "unload"), session);
        assertEquals("etl", options.workgroup());
        assertEquals(FetchMode.UNLOAD, options.fetchMode());
    }

    @Test
    void parsesValues() {
        AthenaSourceOptions options = AthenaSourceOptions.from(query(
                "outputLocation",
                "s3://my-bucket/results",
                "pollInterval",
                "250ms",
                "queryTimeout",
                "2m",
                "csvSplitSize",
                "8m",
                "resultReuseMaxAgeMinutes",
                "60",
                "executionParameters",
                "[\"'a,b'\", \"42\"]",
                "FETCHMODE",
                "Api",
                "keepUnloadOutput",
                "true",
                "endpoint",
                "http://127.0.0.1:9000"));
        assertEquals("s3://my-bucket/results/", options.outputLocation().toString());
        assertEquals(Duration.ofMillis(250), options.pollInterval());
        assertEquals(Duration.ofMinutes(2), options.queryTimeout());
        assertEquals(8L << 20, options.csvSplitSize());
        assertEquals(60, options.resultReuseMaxAgeMinutes());
        assertEquals(List.of("'a,b'", "42"), options.executionParameters());
        assertEquals(FetchMode.API, options.fetchMode());
        assertEquals("http://127.0.0.1:9000", options.endpoint().toString());
    }

    @Test
    void tableNamesItsDatabase() {
        AthenaSourceOptions qualified = AthenaSourceOptions.from(Map.of("table", "logs.events"));
        assertEquals("logs", qualified.tableDatabase());
        assertEquals("events", qualified.tableName());
        AthenaSourceOptions plain = AthenaSourceOptions.from(Map.of("table", "events", "database", "logs"));
        assertEquals("logs", plain.tableDatabase());
        assertEquals(
                "Option 'table' = 'events' has no database: write it as db.tbl or set the option 'database'",
                error(Map.of("table", "events")));
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                Arguments.of(
                        query("table", "db.t"),
                        "Give exactly one of the options 'query' (a SQL statement) and 'table' (a table name such as db.tbl);"
                                + " got both"),
                Arguments.of(
                        query("fetchMode", "fast"),
                        "Option 'fetchMode' must be one of auto, api, csv, unload, got 'fast'"),
                Arguments.of(
                        query("outputLocation", "bucket/prefix"),
                        "Option 'outputLocation' must be an S3 address like s3://bucket/prefix/, got 'bucket/prefix'"),
                Arguments.of(
                        query("outputLocation", "s3://My_Bucket/x"),
                        "Option 'outputLocation' names bucket 'My_Bucket', which is not a valid S3 bucket name"
                                + " (3-63 characters: a-z, 0-9, '.', '-')"),
                Arguments.of(
                        query("pollInterval", "soon"),
                        "Option 'pollInterval' must be a duration such as 500ms, 30s, 10m, 1h or 1d (a bare number is"
                                + " seconds), from 1ms to 10m, got 'soon'"),
                Arguments.of(
                        query("queryTimeout", "0s"),
                        "Option 'queryTimeout' must be a duration such as 500ms, 30s, 10m, 1h or 1d (a bare number is"
                                + " seconds), from 1ms to 1d, got '0s'"),
                Arguments.of(
                        query("resultReuseMaxAgeMinutes", "20000"),
                        "Option 'resultReuseMaxAgeMinutes' must be a whole number from 0 to 10080, got '20000'"),
                Arguments.of(
                        query("executionParameters", "[1, 2]"),
                        "Option 'executionParameters' must be a JSON array of strings, each one SQL literal for a '?' in"
                                + " order, e.g. [\"'2023-01-01'\", \"42\"]"),
                Arguments.of(
                        query("endpoint", "localhost:9000"),
                        "Option 'endpoint' must be an http:// or https:// URL with a host, got 'localhost:9000'"),
                Arguments.of(
                        query("accessKeyId", "AKIA"),
                        "Options 'accessKeyId' and 'secretAccessKey' go together: give both or neither"),
                Arguments.of(query("s3PathStyle", "yes"), "Option 's3PathStyle' must be true or false, got 'yes'"),
                Arguments.of(
                        query("csvSplitSize", "10"),
                        "Option 'csvSplitSize' must be a size such as 512k, 64m or 1g (a bare number is bytes), from 1k to"
                                + " 16g, got '10'"));
    }

    /** Each mistake is refused by an exact message naming the option and what is allowed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void errorsNameTheOption(Map<String, String> options, String message) {
        assertEquals(message, error(options));
    }

    @Test
    void secretsStayOutOfToStringButSurviveSerialization() throws Exception {
        AthenaSourceOptions options = AthenaSourceOptions.from(query(
                "accessKeyId",
                "AKIAEXAMPLE",
                "secretAccessKey",
                "wJalrXUtnFEMI/K7MDENG",
                "sessionToken",
                "FQoGZXIvYXdzEBY"));
        String text = options.toString();
        assertFalse(text.contains("AKIAEXAMPLE"), text);
        assertFalse(text.contains("wJalrXUtnFEMI"), text);
        assertFalse(text.contains("FQoGZXIvYXdzEBY"), text);
        assertEquals(
                "AthenaSourceOptions{query=SELECT 1, database=null, catalog=AwsDataCatalog, workgroup=primary,"
                        + " region=null, outputLocation=null, fetchMode=auto, executionParameters=0, resultReuseMaxAgeMinutes=0,"
                        + " pollInterval=PT0.5S, queryTimeout=PT30M, credentials=static session keys}",
                text);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(options);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            AthenaSourceOptions copy = (AthenaSourceOptions) in.readObject();
            assertEquals("wJalrXUtnFEMI/K7MDENG", copy.secretAccessKey());
            assertEquals(text, copy.toString());
        }
    }

    private static final String DURATION = "a duration such as 500ms, 30s, 10m, 1h or 1d (a bare number is seconds)";
    private static final String SIZE = "a size such as 512k, 64m or 1g (a bare number is bytes), from 1k to 16g";

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(
                        "pollInterval",
                        "99999999999999999999",
                        "Option 'pollInterval' must be " + DURATION + ", from 1ms to 10m, got '99999999999999999999'"),
                Arguments.of(
                        "pollInterval",
                        "11m",
                        "Option 'pollInterval' must be " + DURATION + ", from 1ms to 10m," + " got '11m'"),
                Arguments.of(
                        "queryTimeout",
                        "99999999999999999999h",
                        "Option 'queryTimeout' must be " + DURATION + ", from 1ms to 1d, got '99999999999999999999h'"),
                Arguments.of(
                        "queryTimeout",
                        "25h",
                        "Option 'queryTimeout' must be " + DURATION + ", from 1ms to 1d," + " got '25h'"),
                Arguments.of(
                        "csvSplitSize",
                        "99999999999999999999",
                        "Option 'csvSplitSize' must be " + SIZE + ", got '99999999999999999999'"),
                Arguments.of(
                        "csvSplitSize", "9999999999g", "Option 'csvSplitSize' must be " + SIZE + ", got '9999999999g'"),
                Arguments.of("csvSplitSize", "17g", "Option 'csvSplitSize' must be " + SIZE + ", got '17g'"),
                Arguments.of(
                        "maxRetries",
                        "2147483648",
                        "Option 'maxRetries' must be a whole number from 0 to 100," + " got '2147483648'"),
                Arguments.of(
                        "resultReuseMaxAgeMinutes",
                        "-1",
                        "Option 'resultReuseMaxAgeMinutes' must be a whole number" + " from 0 to 10080, got '-1'"),
                Arguments.of("keepUnloadOutput", "yes", "Option 'keepUnloadOutput' must be true or false, got 'yes'"),
                Arguments.of("fetchMode", "", "Option 'fetchMode' is blank: give a value, or leave the option out"),
                Arguments.of("workgroup", " ", "Option 'workgroup' is blank: give a value, or leave the option out"),
                Arguments.of("catalog", "", "Option 'catalog' is blank: give a value, or leave the option out"),
                Arguments.of("database", "", "Option 'database' is blank: give a value, or leave the option out"),
                Arguments.of("region", "", "Option 'region' is blank: give a value, or leave the option out"),
                Arguments.of(
                        "queryTimeout", "", "Option 'queryTimeout' is blank: give a value, or leave the option out"),
                Arguments.of(
                        "csvSplitSize", "", "Option 'csvSplitSize' is blank: give a value, or leave the option out"),
                Arguments.of("s3PathStyle", "", "Option 's3PathStyle' is blank: give a value, or leave the option out"),
                Arguments.of("query", "", "Option 'query' is blank: give a value, or leave the option out"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("refused")
    void refusedNamingTheOption(String option, String value, String message) {
        assertEquals(message, error(query(option, value)));
    }

    @Test
    void aBlankSessionConfIsRefusedNamingTheConf() {
        assertEquals(
                "Session conf 'spark.tributary.athena.workgroup' is blank: give a value, or unset it",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> AthenaSourceOptions.from(query(), Map.of("spark.tributary.athena.workgroup", "")))
                        .getMessage());
        assertEquals(
                "etl",
                AthenaSourceOptions.from(query("workgroup", "etl"), Map.of("spark.tributary.athena.workgroup", ""))
                        .workgroup(),
                "the read option wins over a blank conf");
    }

    @Test
    void theLargestValuesAreTaken() {
        AthenaSourceOptions options = AthenaSourceOptions.from(
                query("pollInterval", "10m", "queryTimeout", "24h", "csvSplitSize", "16g", "maxRetries", "100"));
        assertEquals(Duration.ofMinutes(10), options.pollInterval());
        assertEquals(Duration.ofHours(24), options.queryTimeout());
        assertEquals(16L << 30, options.csvSplitSize());
        assertEquals(100, options.maxRetries());
    }
}
