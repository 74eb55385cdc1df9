package io.tributary.flight;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlightConfTest {
    @TempDir
    Path tmp;

    private static FlightConf read(Map<String, String> conf, Map<String, String> env) {
        return FlightConf.from(conf::get, env::get);
    }

    private static Map<String, String> on(String... pairs) {
        Map<String, String> conf = new HashMap<>();
        conf.put(FlightConf.ENABLED, "true");
        for (int i = 0; i < pairs.length; i += 2) {
            conf.put(pairs[i], pairs[i + 1]);
        }
        return conf;
    }

    @Test
    void offByDefaultAndThenNothingElseIsRead() {
        FlightConf conf = read(Map.of(FlightConf.PORT, "not a port"), Map.of());
        assertFalse(conf.enabled());
    }

    @Test
    void defaults() throws Exception {
        Path token = Files.writeString(tmp.resolve("token"), "s3cret\n");
        FlightConf conf = read(on(FlightConf.TOKEN_FILE, token.toString()), Map.of());
        assertTrue(conf.enabled());
        assertEquals("0.0.0.0", conf.host());
        assertEquals(0, conf.port());
        assertEquals(0, conf.executorPort());
        assertFalse(conf.sqlEnabled());
        assertFalse(conf.tls());
        assertEquals(List.of(), conf.tables());
        assertEquals(Duration.ofMinutes(10), conf.ticketTimeout());
        assertEquals(65_536, conf.batchRows());
        assertEquals(64L << 20, conf.memoryPerStream());
        assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), conf.token());
        assertEquals("exec-host", conf.advertisedHost("exec-host"));
        assertFalse(conf.toString().contains("s3cret"));
    }

    @Test
    void tokenFromConfOrEnvironment() {
        assertArrayEquals(
                "a".getBytes(StandardCharsets.UTF_8),
                read(on(FlightConf.TOKEN, "a"), Map.of()).token());
        assertArrayEquals(
                "b".getBytes(StandardCharsets.UTF_8),
                read(on(), Map.of(FlightConf.TOKEN_ENV, "b")).token());
    }

    @Test
    void mistakesNameTheConf() throws Exception {
        assertEquals(
                "spark.tributary.flight.enabled is true but no bearer token is set: put it in a file named by "
                        + "spark.tributary.flight.tokenFile (preferred), in the environment variable TRIBUTARY_FLIGHT_TOKEN "
                        + "of the driver and executors, or in spark.tributary.flight.token",
                assertThrows(IllegalArgumentException.class, () -> read(on(), Map.of()))
                        .getMessage());
        assertEquals(
                "Set one of spark.tributary.flight.token and spark.tributary.flight.tokenFile, not both",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN, "a", FlightConf.TOKEN_FILE, "/x"), Map.of()))
                        .getMessage());
        Path empty = Files.writeString(tmp.resolve("empty"), "\n");
        assertEquals(
                "spark.tributary.flight.tokenFile names an empty file: " + empty,
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN_FILE, empty.toString()), Map.of()))
                        .getMessage());
        assertEquals(
                "Conf 'spark.tributary.flight.port' must be a TCP port from 0 (any free port) to 65535, got '70000'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN, "a", FlightConf.PORT, "70000"), Map.of()))
                        .getMessage());
        assertEquals(
                "Conf 'spark.tributary.flight.sql.enabled' must be true or false, got 'yes'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN, "a", FlightConf.SQL_ENABLED, "yes"), Map.of()))
                        .getMessage());
        assertEquals(
                "spark.tributary.flight.tls.certFile and spark.tributary.flight.tls.keyFile go together: set "
                        + "both (PEM certificate chain and PEM PKCS#8 private key) or neither",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN, "a", FlightConf.TLS_CERT_FILE, "/c.pem"), Map.of()))
                        .getMessage());
        assertEquals(
                "Conf 'spark.tributary.flight.ticketTimeout' must be a duration such as 500ms, 30s, 10m, 1h or 1d"
                        + " (a bare number is seconds), from 1ms to 365d, got '0s'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN, "a", FlightConf.TICKET_TIMEOUT, "0s"), Map.of()))
                        .getMessage());
        assertEquals(
                "Conf 'spark.tributary.flight.batchRows' must be a whole number from 1 to 2147483647, got '0'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN, "a", FlightConf.BATCH_ROWS, "0"), Map.of()))
                        .getMessage());
        assertEquals(
                "Conf 'spark.tributary.flight.memoryPerStream' must be a size such as 512k, 64m or 1g (a bare number is"
                        + " bytes), from 0 to 1t, got '-1m'",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> read(on(FlightConf.TOKEN, "a", FlightConf.MEMORY_PER_STREAM, "-1m"), Map.of()))
                        .getMessage());
        assertEquals(
                256L << 20,
                read(on(FlightConf.TOKEN, "a", FlightConf.MEMORY_PER_STREAM, "256m"), Map.of())
                        .memoryPerStream());
        assertEquals(
                0,
                read(on(FlightConf.TOKEN, "a", FlightConf.MEMORY_PER_STREAM, "0"), Map.of())
                        .memoryPerStream());
    }

    @Test
    void tablesAndHosts() {
        FlightConf conf = read(
                on(
                        FlightConf.TOKEN,
                        "a",
                        FlightConf.TABLES,
                        " sales, db.orders ,,",
                        FlightConf.HOST,
                        "127.0.0.1",
                        FlightConf.SQL_ENABLED,
                        "true",
                        FlightConf.TICKET_TIMEOUT,
                        "30s"),
                Map.of());
        assertEquals(List.of("sales", "db.orders"), conf.tables());
        assertEquals("127.0.0.1", conf.advertisedHost("ignored"));
        assertTrue(conf.sqlEnabled());
        assertEquals(Duration.ofSeconds(30), conf.ticketTimeout());
        assertEquals(
                "flight.example",
                read(on(FlightConf.TOKEN, "a", FlightConf.ADVERTISED_HOST, "flight.example"), Map.of())
                        .advertisedHost("ignored"));
    }
}
