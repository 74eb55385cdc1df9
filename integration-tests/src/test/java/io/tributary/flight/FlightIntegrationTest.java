package io.tributary.flight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.arrow.AllTypesFixture;
import io.tributary.python.ColumnarInput;
import io.tributary.testing.BuildArtifacts;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.TestPython;
import io.tributary.testing.spark.ClusterFlightJob;
import io.tributary.testing.spark.StandaloneCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
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
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.get();
        // Named in spark.tributary.flight.tables by the test session.
        spark.range(0, 100, 1, 3).createOrReplaceTempView("flight_conf_view");
        // The Arrow bridge's shared all-types table: four partitions, two of them empty.
        TributaryFlight.serve("all_types", AllTypesFixture.dataFrame(spark));
        TributaryFlight.serve(
                "all_types_empty", AllTypesFixture.dataFrame(spark).limit(0));
    }

    @Test
    void everyTypeReachesPyarrowAndPolarsAsTheArrowBridgeWritesIt() throws Exception {
        Path export = tmp.resolve("export");
        AllTypesFixture.dataFrame(spark).write().format("arrow").save(export.toString());

        JsonNode out = client(
                "all_types",
                JSON.writeValueAsString(List.of(
                        export.toString(), AllTypesFixture.arrowCheckDirectory().toString())));

        assertTrue(contains(out.get("names"), "all_types"), out.toString());
        assertTrue(contains(out.get("names"), "flight_conf_view"), out.toString());
        assertEquals(4, out.get("endpoints").asInt(), "one endpoint per partition, the empty ones included");
        assertEquals(
                "[\"grpc+tcp://127.0.0.1:" + SparkTestSession.flightPort() + "\"]",
                out.get("locations").toString());
        assertEquals(
                new TreeMap<>(AllTypesFixture.exportedPyarrowTypes()),
                JSON.convertValue(out.get("types"), new TypeReference<TreeMap<String, String>>() {}));
        assertTrue(out.get("schemaEqual").asBoolean(), out.toString());
        assertEquals("[]", out.get("differingColumns").toString(), "columns that differ from format(\"arrow\")'s");
        // Value by value, as Spark holds them: the pyarrow table and the Polars frame made from it.
        JsonNode expected = AllTypesFixture.expected(spark);
        AllTypesFixture.assertColumnsEqual(expected, out.get("pyarrowRows"));
        AllTypesFixture.assertColumnsEqual(expected, out.get("polarsRows"));
        assertEquals(
                "[6," + AllTypesFixture.exportedPyarrowTypes().size() + "]",
                out.get("polarsShape").toString());
        // The documented Polars client, which makes each batch a frame as it arrives: the same rows; and a table
        // with no rows at all gives an empty frame of the same schema.
        AllTypesFixture.assertColumnsEqual(expected, out.get("polarsBatchRows"));
        assertEquals(out.get("polarsShape"), out.get("polarsBatchShape"));
        assertTrue(out.get("emptySchemaEqual").asBoolean(), out.toString());
        assertEquals(
                "[0," + AllTypesFixture.exportedPyarrowTypes().size() + "]",
                out.get("emptyShape").toString());
        assertEquals(0, TributaryFlight.openStreams());
        awaitNoServedBytesInMemory();
    }

    @Test
    void aColumnarScanIsSentColumnByColumnWithTheValuesOfItsRows() throws Exception {
        // Every type but the always-null one (Parquet has none), read back by Spark's vectorized Parquet reader: its
        // batches go into Arrow column by column, not as rows.
        Path parquet = tmp.resolve("parquet");
        AllTypesFixture.dataFrame(spark).drop("v").write().parquet(parquet.toString());
        Dataset<Row> scan = spark.read().parquet(parquet.toString());
        assertTrue(ColumnarInput.of(scan).isPresent(), "the scan hands out columnar batches");
        TributaryFlight.serve("all_types_parquet", scan);

        JsonNode out = client(
                "rows",
                JSON.writeValueAsString(List.of(
                        "all_types_parquet",
                        AllTypesFixture.arrowCheckDirectory().toString())));

        JsonNode expected = AllTypesFixture.expected(scan);
        AllTypesFixture.assertColumnsEqual(expected, out.get("pyarrowRows"));
        AllTypesFixture.assertColumnsEqual(expected, out.get("polarsRows"));
        awaitNoServedBytesInMemory();
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
        awaitNoServedBytesInMemory();
    }

    @Test
    void failuresGiveTheClientAClearFlightErrorAndNeverTheToken() throws Exception {
        JsonNode out = client("failures", null);
        String text = out.toString();

        assertFalse(text.contains(SparkTestSession.flightToken()), "the token leaked into an error: " + text);
        assertError(
                out.get("wrongToken"),
                "FlightUnauthenticatedError",
                "Tributary Flight refused the bearer token in the 'authorization' header");
        assertError(
                out.get("noToken"),
                "FlightUnauthenticatedError",
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
        while ((TributaryFlight.openStreams() > 0 || TributaryFlight.servedBytesInMemory() > 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, TributaryFlight.openStreams(), "the partition stream still runs after the client left");
        assertEquals(0, TributaryFlight.servedBytesInMemory(), "batches of the partition are still in memory");

        JsonNode again = client(
                "refetch",
                JSON.writeValueAsString(
                        List.of(out.get("ticket").asText(), out.get("location").asText())));
        assertError(again, "ArrowKeyError", "was fetched already; each reference can be read once");
    }

    /** Once every stream ended, the batches' buffers are freed (gRPC may hold the last ones a moment longer). */
    private static void awaitNoServedBytesInMemory() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (TributaryFlight.servedBytesInMemory() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, TributaryFlight.servedBytesInMemory(), "bytes of served batches still in memory");
    }

    /** Holds the served task after its first batches until the test has seen them arrive. */
    static final CountDownLatch RELEASE_TASK = new CountDownLatch(1);

    static final AtomicBoolean TASK_FINISHED = new AtomicBoolean();

    @Test
    void batchesReachTheClientWhileTheirTaskStillComputesThePartition() throws Exception {
        // One partition of 200,000 rows: batches of 65,536 rows, the task waits at row 150,000 until released.
        TributaryFlight.serve(
                "while_computing",
                spark.range(0, 200_000, 1, 1)
                        .map(
                                (MapFunction<Long, Long>) id -> {
                                    if (id == 150_000L && !RELEASE_TASK.await(2, TimeUnit.MINUTES)) {
                                        throw new IllegalStateException("the test never released the task");
                                    }
                                    if (id == 199_999L) {
                                        TASK_FINISHED.set(true);
                                    }
                                    return id;
                                },
                                Encoders.LONG())
                        .toDF("id"));
        Process process =
                startClient("while_computing", null, SparkTestSession.flightPort(), ProcessBuilder.Redirect.INHERIT);
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            JsonNode first = JSON.readTree(out.readLine());
            assertEquals(65_536, first.get("firstBatchRows").asInt());
            assertFalse(TASK_FINISHED.get(), "the first batch came only after the task had computed every row");
            assertEquals(1, TributaryFlight.openStreams());

            RELEASE_TASK.countDown();
            JsonNode rest = JSON.readTree(out.readLine());
            assertEquals("{\"rows\":200000,\"idSum\":19999900000}", rest.toString());
        }
        assertTrue(process.waitFor(1, TimeUnit.MINUTES), "the Python client did not end");
        assertEquals(0, process.exitValue());
        assertTrue(TASK_FINISHED.get());
    }

    @Test
    void tlsServiceServesOnlyTlsClientsThatTrustItsCertificate() throws Exception {
        Path cert = tmp.resolve("cert.pem");
        Path key = tmp.resolve("key.pem");
        Process openssl = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "1",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("openssl.log").toFile())
                .start();
        assertEquals(
                0,
                openssl.waitFor(),
                Files.exists(tmp.resolve("openssl.log"))
                        ? Files.readString(tmp.resolve("openssl.log"))
                        : "openssl failed");
        FlightConf conf = FlightConf.from(
                java.util.Map.of(
                        FlightConf.ENABLED,
                        "true",
                        FlightConf.HOST,
                        "127.0.0.1",
                        FlightConf.TOKEN,
                        SparkTestSession.flightToken(),
                        FlightConf.TLS_CERT_FILE,
                        cert.toString(),
                        FlightConf.TLS_KEY_FILE,
                        key.toString())::get,
                name -> null);

        try (FlightService tls = FlightService.openUnregistered(conf, true, "127.0.0.1")) {
            assertEquals(
                    "grpc+tls://127.0.0.1:" + tls.port(),
                    tls.location().getUri().toString());
            JsonNode out = client("tls", cert.toString(), tls.port());

            assertTrue(contains(out.get("names"), "all_types"), out.toString());
            assertEquals(
                    "FlightUnavailableError",
                    out.get("plaintextClient").get("error").asText(),
                    out.toString());
            assertEquals(
                    "FlightUnavailableError",
                    out.get("untrustedServer").get("error").asText(),
                    out.toString());
        }
    }

    @Test
    void onAStandaloneClusterBothExecutorsServeEndpoints() throws Exception {
        Path work =
                Files.createDirectories(Path.of("target", "flight-cluster-it").toAbsolutePath());
        Files.deleteIfExists(work.resolve("flight-port"));
        Files.deleteIfExists(work.resolve("done"));
        Path tokenFile = Files.writeString(tmp.resolve("token"), SparkTestSession.flightToken());
        List<String> classpath = Arrays.asList(
                Files.readString(Path.of("target", "classpath.txt")).trim().split(java.io.File.pathSeparator));
        List<String> flags = new ArrayList<>();
        for (String flag :
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-") || flag.startsWith("-XX:+Ignore") || flag.startsWith("-Dio.netty")) {
                flags.add(flag);
            }
        }
        Path log = work.resolve("spark-submit.log");
        try (StandaloneCluster cluster = StandaloneCluster.start(work, classpath, flags, 2, 1)) {
            Process job = cluster.submit(
                    List.of(
                            "--jars",
                            BuildArtifacts.pluginJar().toAbsolutePath().toString(),
                            "--conf",
                            "spark.plugins=io.tributary.spark.TributaryPlugin",
                            "--conf",
                            "spark.ui.enabled=false",
                            "--conf",
                            "spark.executor.memory=768m",
                            "--conf",
                            "spark.cores.max=2",
                            "--conf",
                            "spark.driver.host=127.0.0.1",
                            "--conf",
                            "spark.tributary.flight.enabled=true",
                            "--conf",
                            "spark.tributary.flight.host=127.0.0.1",
                            "--conf",
                            "spark.tributary.flight.tokenFile=" + tokenFile,
                            "--class",
                            ClusterFlightJob.class.getName(),
                            BuildArtifacts.integrationTestsJar()
                                    .toAbsolutePath()
                                    .toString(),
                            work.toString()),
                    log);
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (!Files.exists(work.resolve("flight-port")) && job.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(Files.exists(work.resolve("flight-port")), "the job did not start serving:\n" + tail(log));
                int port = Integer.parseInt(
                        Files.readString(work.resolve("flight-port")).trim());

                JsonNode out = client("cluster", null, port);

                assertEquals(8, out.get("endpoints").asInt(), out.toString());
                assertEquals(2, out.get("locations").size(), "both executors serve: " + out);
                assertFalse(
                        out.get("locations").toString().contains(":" + port + "\""),
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

    private static JsonNode client(String testCase, String arg) throws Exception {
        return client(testCase, arg, SparkTestSession.flightPort());
    }

    private static Process startClient(String testCase, String arg, int port, ProcessBuilder.Redirect stderr)
            throws Exception {
        Path script = Path.of(
                FlightIntegrationTest.class.getResource("flight_client.py").toURI());
        List<String> command = new ArrayList<>(List.of(
                TestPython.executable(),
                script.toString(),
                Integer.toString(port),
                SparkTestSession.flightToken(),
                testCase));
        if (arg != null) {
            command.add(arg);
        }
        Process process = new ProcessBuilder(command).redirectError(stderr).start();
        process.getOutputStream().close();
        return process;
    }

    private static JsonNode client(String testCase, String arg, int port) throws Exception {
        Path stderr = Files.createTempFile("flight-client", ".err");
        Process process = startClient(testCase, arg, port, ProcessBuilder.Redirect.to(stderr.toFile()));
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the Python client did not end");
        String err = Files.readString(stderr);
        Files.delete(stderr);
        assertEquals(0, process.exitValue(), "the Python client failed:\n" + err + stdout);
        String[] lines = stdout.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }
}
