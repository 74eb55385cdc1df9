package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import io.tributary.testing.athena.ServiceTime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The emulator's service-time model does what the benchmark says it does: each GetQueryResults page waits the
 * page latency, and every S3 request a reader makes goes through the delaying endpoint and waits the first-byte
 * latency. Only lower bounds are asserted (waits the model guarantees), never how fast anything is. Single calls are
 * timed warm, so that without the model's wait they take a few milliseconds and the bounds would fail, even on a
 * loaded machine where a whole Spark read can take longer than the modelled waits.
 */
class AthenaServiceTimeIntegrationTest {
    private static final Duration LATENCY = Duration.ofMillis(200);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2500 rows plus the header row: three pages of at most 1000. */
    private static final String PAGED = "SELECT id FROM paged ORDER BY id";

    private static final long PAGED_ID_SUM = 2500L * 2499 / 2;
    private static final String PROBE = "latency/probe.txt";

    @BeforeAll
    static void createPagedTable() throws Exception {
        SharedAthena.athena()
                .sql("CREATE OR REPLACE TABLE db.paged AS SELECT CAST(i AS INTEGER) AS id FROM range(2500)" + " t(i)");
    }

    @AfterEach
    void modelOff() throws Exception {
        SharedAthena.athena().serviceTime(ServiceTime.NONE);
    }

    @Test
    void everyGetQueryResultsPageWaitsThePageLatency() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        HttpClient http = HttpClient.newHttpClient();
        ObjectNode start = JSON.createObjectNode().put("QueryString", PAGED);
        start.putObject("QueryExecutionContext").put("Database", "db");
        start.putObject("ResultConfiguration").put("OutputLocation", SharedAthena.OUTPUT);
        String id = call(http, athena, "StartQueryExecution", start)
                .get("QueryExecutionId")
                .asText();
        assertEquals("SUCCEEDED", athena.awaitDone(id));

        assertEquals(3, pageMillis(http, athena, id).size(), "2501 result rows, 1000 a page"); // warms the calls up
        athena.serviceTime(new ServiceTime(LATENCY, Duration.ZERO));
        for (long millis : pageMillis(http, athena, id)) {
            assertTrue(millis >= LATENCY.toMillis(), "a GetQueryResults page answered in " + millis + " ms");
        }

        int callsBefore = athena.calls("GetQueryResults");
        long startNanos = System.nanoTime();
        List<Row> rows = SharedAthena.read(athena)
                .option("fetchMode", "api")
                .option("query", PAGED)
                .load()
                .collectAsList();
        long elapsed = millisSince(startNanos);
        int pages = athena.calls("GetQueryResults") - callsBefore;
        assertAllIds(rows);
        assertTrue(pages >= 3, "the api read called GetQueryResults only " + pages + " times");
        // Pages chain by NextToken, so their waits add up.
        assertTrue(
                elapsed >= pages * LATENCY.toMillis(), "the api read of " + pages + " pages took " + elapsed + " ms");
    }

    @Test
    void everyS3RequestOfTheReaderWaitsTheFirstByteLatency() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        S3Server s3 = SharedAthena.s3();
        try (S3Client reader = s3.readerClient();
                S3Client athenaSide = s3.client()) {
            athenaSide.putObject(r -> r.bucket(SharedAthena.BUCKET).key(PROBE), RequestBody.fromString("x"));
            List<Runnable> requests = List.of(
                    () -> reader.headObject(r -> r.bucket(SharedAthena.BUCKET).key(PROBE)),
                    () -> assertEquals(
                            "x",
                            reader.getObjectAsBytes(
                                            r -> r.bucket(SharedAthena.BUCKET).key(PROBE))
                                    .asUtf8String()),
                    () -> assertEquals(
                            1,
                            reader.listObjectsV2(
                                            r -> r.bucket(SharedAthena.BUCKET).prefix("latency/"))
                                    .keyCount()));
            requests.forEach(Runnable::run); // warm-up: the SDK's first call of each operation loads classes

            athena.serviceTime(new ServiceTime(Duration.ZERO, LATENCY));
            long before = s3.readerRequests();
            athenaSide.headObject(r -> r.bucket(SharedAthena.BUCKET).key(PROBE));
            assertEquals(before, s3.readerRequests(), "the Athena side's own requests bypass the reader endpoint");
            for (int i = 0; i < requests.size(); i++) {
                long startNanos = System.nanoTime();
                requests.get(i).run();
                long millis = millisSince(startNanos);
                assertTrue(
                        millis >= LATENCY.toMillis(),
                        "HEAD, GET, LIST request " + i + " answered in " + millis + " ms");
            }
            assertEquals(before + requests.size(), s3.readerRequests(), "one delayed pass per request");
        }

        // The readers' S3 traffic goes through the delaying endpoint in both modes that read S3.
        for (String mode : List.of("csv", "unload")) {
            long before = s3.readerRequests();
            long startNanos = System.nanoTime();
            assertAllIds(SharedAthena.read(athena)
                    .option("fetchMode", mode)
                    .option("query", PAGED)
                    .load()
                    .collectAsList());
            long requests = s3.readerRequests() - before;
            assertTrue(requests >= 1, mode + " made no request to the reader endpoint");
            assertTrue(millisSince(startNanos) >= LATENCY.toMillis(), mode);
        }
    }

    /** Walks every page of the query's results, timing each GetQueryResults call. */
    private static List<Long> pageMillis(HttpClient http, AthenaEmulator athena, String id) throws Exception {
        List<Long> millis = new ArrayList<>();
        int rows = 0;
        String token = null;
        do {
            ObjectNode request =
                    JSON.createObjectNode().put("QueryExecutionId", id).put("MaxResults", 1000);
            if (token != null) {
                request.put("NextToken", token);
            }
            long startNanos = System.nanoTime();
            JsonNode page = call(http, athena, "GetQueryResults", request);
            millis.add(millisSince(startNanos));
            rows += page.path("ResultSet").path("Rows").size();
            token = page.path("NextToken").asText(null);
        } while (token != null);
        assertEquals(2501, rows, "the header row and 2500 rows");
        return millis;
    }

    /** One Athena JSON 1.1 call to the emulator (it takes unsigned requests). */
    private static JsonNode call(HttpClient http, AthenaEmulator athena, String operation, JsonNode body)
            throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(athena.endpoint() + "/"))
                        .header("Content-Type", "application/x-amz-json-1.1")
                        .header("X-Amz-Target", "AmazonAthena." + operation)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), operation + ": " + response.body());
        return JSON.readTree(response.body());
    }

    private static void assertAllIds(List<Row> rows) {
        assertEquals(2500, rows.size());
        assertEquals(0, rows.get(0).getInt(0));
        assertEquals(2499, rows.get(2499).getInt(0));
        assertEquals(PAGED_ID_SUM, rows.stream().mapToLong(r -> r.getInt(0)).sum());
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
