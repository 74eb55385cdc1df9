package io.tributary.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.testing.BuildArtifacts;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.spark.ClusterFlightJob;
import io.tributary.testing.spark.StandaloneCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Arrow Flight service as users reach it: the plugin from the shaded jar serves on the driver and executor of
 * the test session; the client is pyarrow.flight with Polars in a separate Python process.
 */
class FlightIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every type the Arrow bridge writes, with nulls, extremes and non-ASCII text, in two partitions. */
    private static final String ALL_TYPES_SQL = "SELECT * FROM VALUES "
            + "(1, true, CAST(-128 AS TINYINT), CAST(32767 AS SMALLINT), -9223372036854775808L, CAST(1.5 AS FLOAT), "
            + " 3.141592653589793D, CAST(12345678.91 AS DECIMAL(10,2)), "
            + " CAST('1234567890123456789012345678.0123456789' AS DECIMAL(38,10)), 'héllo ✓', X'0001FF', "
            + " DATE'2024-02-29', TIMESTAMP'2024-02-29 12:34:56.123456', TIMESTAMP_NTZ'2024-02-29 12:34:56.123456', "
            + " array(1, NULL, 3), array('a', NULL), map('k1', 1L, 'k2', CAST(NULL AS BIGINT)), "
            + " named_struct('x', 7, 'y', 'seven', 'z', array(0.5D, NULL)), NULL), "
            + "(2, false, CAST(127 AS TINYINT), CAST(-32768 AS SMALLINT), 9223372036854775807L, CAST('NaN' AS FLOAT), "
            + " CAST('-Infinity' AS DOUBLE), CAST(-0.01 AS DECIMAL(10,2)), CAST(-0.0000000001 AS DECIMAL(38,10)), "
            + " '', X'', DATE'1969-12-31', TIMESTAMP'1969-12-31 23:59:59.999999', TIMESTAMP_NTZ'1900-01-01 00:00:00', "
            + " CAST(array() AS ARRAY<INT>), CAST(array() AS ARRAY<STRING>), CAST(map() AS MAP<STRING,BIGINT>), "
            + " named_struct('x', CAST(NULL AS INT), 'y', CAST(NULL AS STRING), 'z', CAST(NULL AS ARRAY<DOUBLE>)), "
            + " NULL), "
            + "(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
            + " NULL) "
            + "AS t(id, b, i8, i16, i64, f32, f64, dec, bigdec, s, bin, d, ts, ntz, arr, arr_s, m, st, v)";

    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
        // Named in spark.tributary.flight.tables by the test session.
        spark.range(0, 100, 1, 3).createOrReplaceTempView("flight_conf_view");
        TributaryFlight.serve("all_types", spark.sql(ALL_TYPES_SQL).repartition(2, org.apache.spark.sql.functions
                .col("id")));
    }

    @Test
    void everyTypeReachesPyarrowAndPolarsAsTheArrowBridgeWritesIt() throws Exception {
        Path export = tmp.resolve("export");
        spark.sql(ALL_TYPES_SQL).coalesce(1).write().format("arrow").save(export.toString());

        JsonNode out = client("all_types", export.toString());

        assertTrue(contains(out.get("names"), "all_types"), out.toString());
        assertTrue(contains(out.get("names"), "flight_conf_view"), out.toString());
        assertEquals(2, out.get("endpoints").asInt());
        assertEquals("[\"grpc+tcp://127.0.0.1:" + SparkTestSession.flightPort() + "\"]",
                out.get("locations").toString());
        assertEquals("{\"id\":\"int32\",\"b\":\"bool\",\"i8\":\"int8\",\"i16\":\"int16\",\"i64\":\"int64\","
                + "\"f32\":\"float\",\"f64\":\"double\",\"dec\":\"decimal128(10, 2)\",\"bigdec\":\"decimal128(38, 10)\","
                + "\"s\":\"string\",\"bin\":\"binary\",\"d\":\"date32[day]\",\"ts\":\"timestamp[us, tz=UTC]\","
                + "\"ntz\":\"timestamp[us]\",\"arr\":\"list<element: int32>\",\"arr_s\":\"list<element: string>\","
                + "\"m\":\"list<entries: struct<key: string not null, value: int64> not null>\","
                + "\"st\":\"struct<x: int32, y: string, z: list<element: double>>\","
                + "\"v\":\"null\"}", out.get("types").toString());
        assertTrue(out.get("schemaEqual").asBoolean(), out.toString());
        assertEquals("[]", out.get("differingColumns").toString(), "columns that differ from format(\"arrow\")'s");
        assertTrue(out.get("polarsEqual").asBoolean(), "Polars frames differ");
        assertEquals("[3,19]", out.get("polarsShape").toString());
        assertEquals("[\"héllo ✓\",\"\",null]", out.get("s").toString());
        assertEquals("[\"2024-02-29 12:34:56.123456+00:00\",\"1969-12-31 23:59:59.999999+00:00\",\"None\"]",
                out.get("ts").toString());
        assertEquals("[\"12345678.91\",\"-0.01\",\"None\"]", out.get("dec").toString());
        assertEquals(0, TributaryFlight.openStreams());
    }

    @Test
    void confListedTableAndSqlCommand() throws Exception {
        JsonNode out = client("conf_table_and_sql", null);

        assertEquals("{\"rows\":100,\"sum\":4950,\"sqlSum\":90,\"sqlColumns\":[\"x\"]}", out.toString());
    }

    @Test
    void concurrentClientsEachGetTheWholeTable() throws Exception {
        TributaryFlight.serve("concurrent", spark.range(0, 200_000, 1, 4).selectExpr("id", "id * 2 AS twice"));

        JsonNode out = client("concurrent", null);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add("[200000,19999900000,39999800000]");
        }
        assertEquals("[" + String.join(",", expected) + "]", out.get("results").toString());
    }

    @Test
    void failuresGiveTheClientAClearFlightErrorAndNeverTheToken() throws Exception {
        JsonNode out = client("failures", null);
        String text = out.toString();

        assertFalse(text.contains(SparkTestSession.flightToken()), "the token leaked into an error: " + text);
        assertError(out.get("wrongToken"), "FlightUnauthenticatedError",
                "Tributary Flight refused the bearer token in the 'authorization' header");
        assertError(out.get("noToken"), "FlightUnauthenticatedError",
                "Tributary Flight needs an 'authorization: Bearer <token>' header");
        assertError(out.get("missingName"), "ArrowKeyError", "Nothing is served as 'nope'; served: [");
        assertError(out.get("badQuery"), "ArrowInvalid", "Planning the SQL command failed: ");
        assertTrue(out.get("badQuery").get("message").asText().contains("no_such_column"), text);
        assertError(out.get("failingQuery"), "FlightInternalError", "Computing the SQL command failed: ");
        assertTrue(out.get("failingQuery").get("message").asText().contains("id reached 2"), text);
        assertError(out.get("badTicket"), "ArrowInvalid", "not a Tributary Flight ticket");
        assertError(out.get("ticketTwice"), "ArrowKeyError", "was fetched already; each reference can be read once");
        assertEquals(0, TributaryFlight.openStreams());
    }

    @Test
    void clientThatDisconnectsMidStreamLeavesNothingRunning() throws Exception {
        // One partition of 3 M rows: 46 batches of 65,536 rows, far more than gRPC buffers ahead of the client.
        TributaryFlight.serve("big", spark.range(0, 3_000_000, 1, 1).selectExpr("id", "id * 2 AS twice"));

        JsonNode out = client("disconnect", null);
        assertEquals(65_536, out.get("firstBatchRows").asInt());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (TributaryFlight.openStreams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, TributaryFlight.openStreams(), "the partition stream still runs after the client left");

        JsonNode again = client("refetch", JSON.writeValueAsString(List.of(out.get("ticket").asText(),
                out.get("location").asText())));
        assertError(again, "ArrowKeyError", "was fetched already; each reference can be read once");
    }

    @Test
    void tlsServiceServesOnlyTlsClientsThatTrustItsCertificate() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key.toString(), "-out",
                cert.toString()).redirectErrorStream(true).redirectOutput(tmp.resolve("openssl.log").toFile()).start();
        assertEquals(0, openssl.waitFor(), Files.exists(tmp.resolve("openssl.log"))
                ? Files.readString(tmp.resolve("openssl.log")) : "openssl failed");
        FlightConf conf = FlightConf.from(java.util.Map.of(FlightConf.ENABLED, "true", FlightConf.HOST, "127.0.0.1",
                FlightConf.TOKEN, SparkTestSession.flightToken(), FlightConf.TLS_CERT_FILE, cert.toString(),
                FlightConf.TLS_KEY_FILE, key.toString())::get, name -> null);

        try (FlightService tls = FlightService.openUnregistered(conf, true, "127.0.0.1")) {
            assertEquals("grpc+tls://127.0.0.1:" + tls.port(), tls.location().getUri().toString());
            JsonNode out = client("tls", cert.toString(), tls.port());

            assertTrue(contains(out.get("names"), "all_types"), out.toString());
            assertEquals("FlightUnavailableError", out.get("plaintextClient").get("error").asText(), out.toString());
            assertEquals("FlightUnavailableError", out.get("untrustedServer").get("error").asText(), out.toString());
        }
    }

    @Test
    void onAStandaloneClusterBothExecutorsServeEndpoints() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "flight-cluster-it").toAbsolutePath());
        Files.deleteIfExists(work.resolve("flight-port"));
        Files.deleteIfExists(work.resolve("done"));
        Path tokenFile = Files.writeString(tmp.resolve("token"), SparkTestSession.flightToken());
        List<String> classpath = Arrays.asList(
                Files.readString(Path.of("target", "classpath.txt")).trim().split(java.io.File.pathSeparator));
        List<String> flags = new ArrayList<>();
        for (String flag : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-XX:+Ignore") || flag.startsWith("-Dio.netty")) {
                flags.add(flag);
            }
        }
        Path log = work.resolve("spark-submit.log");
        try (StandaloneCluster cluster = StandaloneCluster.start(work, classpath, flags, 2, 1)) {
            Process job = cluster.submit(List.of("--jars", BuildArtifacts.pluginJar().toAbsolutePath().toString(),
                    "--conf", "spark.plugins=io.tributary.spark.TributaryPlugin",
                    "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.executor.memory=768m",
                    "--conf", "spark.cores.max=2",
                    "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.tributary.flight.enabled=true",
                    "--conf", "spark.tributary.flight.host=127.0.0.1",
                    "--conf", "spark.tributary.flight.tokenFile=" + tokenFile,
                    "--class", ClusterFlightJob.class.getName(),
                    BuildArtifacts.integrationTestsJar().toAbsolutePath().toString(), work.toString()), log);
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (!Files.exists(work.resolve("flight-port")) && job.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(Files.exists(work.resolve("flight-port")), "the job did not start serving:\n"
                        + tail(log));
                int port = Integer.parseInt(Files.readString(work.resolve("flight-port")).trim());

                JsonNode out = client("cluster", null, port);

                assertEquals(8, out.get("endpoints").asInt(), out.toString());
                assertEquals(2, out.get("locations").size(), "both executors serve: " + out);
                assertFalse(out.get("locations").toString().contains(":" + port + "\""),
                        "no endpoint on the driver: " + out);
                assertEquals(100_000, out.get("rows").asLong());
                assertEquals(4_999_950_000L, out.get("idSum").asLong());
                assertEquals(14_999_850_000L, out.get("tripleSum").asLong());
            } finally {
                Files.writeString(work.resolve("done"), "");
                if (!job.waitFor(2, TimeUnit.MINUTES)) {
                    job.destroyForcibly();
                }
            }
            assertEquals(0, job.exitValue(), "spark-submit failed:\n" + tail(log));
        }
    }

    private static String tail(Path log) throws java.io.IOException {
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.substring(Math.max(0, text.length() - 4000));
    }

    private static void assertError(JsonNode error, String type, String messagePart) {
        assertEquals(type, error.get("error").asText(), error.toString());
        assertTrue(error.get("message").asText().contains(messagePart), error.toString());
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** TRIBUTARY_PYTHON (the project's virtualenv in CI), else python3 from the PATH. */
    private static String python() {
        String configured = System.getenv("TRIBUTARY_PYTHON");
        return configured != null && !configured.isBlank() ? configured : "python3";
    }

    private static JsonNode client(String testCase, String arg) throws Exception {
        return client(testCase, arg, SparkTestSession.flightPort());
    }

    private static JsonNode client(String testCase, String arg, int port) throws Exception {
        Path script = Path.of(FlightIntegrationTest.class.getResource("flight_client.py").toURI());
        List<String> command = new ArrayList<>(List.of(python(), script.toString(),
                Integer.toString(port), SparkTestSession.flightToken(), testCase));
        if (arg != null) {
            command.add(arg);
        }
        Path stderr = Files.createTempFile("flight-client", ".err");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        process.getOutputStream().close();
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the Python client did not end");
        String err = Files.readString(stderr);
        Files.delete(stderr);
        assertEquals(0, process.exitValue(), "the Python client failed:\n" + err + stdout);
        String[] lines = stdout.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
