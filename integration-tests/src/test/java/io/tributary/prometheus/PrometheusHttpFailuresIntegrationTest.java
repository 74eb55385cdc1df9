package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.CauseMessages;
import io.tributary.testing.SparkTestSession;
import io.tributary.testing.prometheus.Fault;
import io.tributary.testing.prometheus.FaultInjectingProxy;
import io.tributary.testing.prometheus.NodeMemoryHistory;
import io.tributary.testing.prometheus.PrometheusServer;
import io.tributary.testing.prometheus.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The HTTP layer's failure rules from the shaded jar against a real Prometheus behind {@link FaultInjectingProxy},
 * in both modes: a stalled body is bounded by {@code timeout} and retried, redirects are followed only within the
 * origin of {@code url}, and the final error names the last failure and never a credential.
 */
class PrometheusHttpFailuresIntegrationTest {
    private static final Instant START = ReaderTestPrometheus.START;
    private static final Instant END = START.plus(Duration.ofMinutes(30));
    private static final String TOKEN = "t0ken-s3cret";
    private static final String TENANT = "tenant-s3cret";
    /** Guards the stall tests: before 'timeout' bounded the body, a stalled body hung the task. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);

    private static final PrometheusServer PROMETHEUS = ReaderTestPrometheus.server();

    /** One partition, one request: a 30-minute range of one metric. */
    private static DataFrameReader read(String url, String mode) {
        return SparkTestSession.get()
                .read()
                .format("prometheus")
                .option("url", url)
                .option("mode", mode)
                .option("metrics", NodeMemoryHistory.MEM_FREE)
                .option("start", START.toString())
                .option("end", END.toString())
                .option("step", "15s")
                .option("partitionDuration", "1h")
                .option("retryInitialDelay", "50ms")
                .option("bearerToken", TOKEN)
                .option("header.X-Scope-OrgID", TENANT);
    }

    private static List<String> rows(DataFrameReader reader) {
        return reader.load().collectAsList().stream()
                .map(Row::toString)
                .sorted()
                .toList();
    }

    private static String failure(DataFrameReader reader) {
        Exception error = assertThrows(Exception.class, () -> reader.load().collect());
        String messages = CauseMessages.of(error);
        assertFalse(messages.contains(TOKEN), messages);
        assertFalse(messages.contains(TENANT), messages);
        return messages;
    }

    private static String requestOf(String mode) {
        return mode.equals("raw")
                ? "remote read [{__name__=\"node_memory_MemFree_bytes\"}]"
                : "query_range node_memory_MemFree_bytes [1672531200, 1672533000] step 15s";
    }

    private static String pathOf(String mode) {
        return mode.equals("raw") ? "/api/v1/read" : "/api/v1/query_range";
    }

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"range", "raw"})
    void aStalledBodyFailsAfterTheRetriesNamingTheStall(String mode) throws Exception {
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(PROMETHEUS.url())) {
            proxy.enqueue(Fault.stallBody(100), 2);
            String message = assertTimeoutPreemptively(
                    HANG_GUARD,
                    () -> failure(
                            read(proxy.url(), mode).option("timeout", "3s").option("maxRetries", "1")));
            assertTrue(
                    message.contains(
                            "Prometheus could not be read after 2 attempts (maxRetries=1): " + requestOf(mode)),
                    message);
            assertTrue(
                    message.contains("at " + proxy.url() + "; last failure: java.net.http.HttpTimeoutException:"
                            + " the body stalled after 100 bytes: the answer was not complete within timeout=3s"),
                    message);
            assertEquals(2, proxy.requestCount(), mode);
            assertEquals(2, proxy.faultsApplied(), mode);
        }
    }

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"range", "raw"})
    void aBodyThatStallsOnceIsReadWholeOnTheRetry(String mode) throws Exception {
        List<String> expected = rows(read(PROMETHEUS.url(), mode));
        assertEquals(121 * 3, expected.size(), mode + ": 30 minutes of 15 s samples, 3 instances");
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(PROMETHEUS.url())) {
            proxy.enqueue(Fault.stallBody(100), 1);
            List<String> read = assertTimeoutPreemptively(
                    HANG_GUARD,
                    () -> rows(read(proxy.url(), mode).option("timeout", "3s").option("maxRetries", "1")));
            assertEquals(expected, read, mode);
            assertEquals(2, proxy.requestCount(), mode);
            assertEquals(1, proxy.faultsApplied(), mode);
        }
    }

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"range", "raw"})
    void aRedirectToAnotherOriginIsRefusedAndNothingReachesIt(String mode) throws Exception {
        try (FaultInjectingProxy first = FaultInjectingProxy.start(PROMETHEUS.url());
                FaultInjectingProxy other = FaultInjectingProxy.start(PROMETHEUS.url())) {
            first.enqueue(Fault.redirect(mode.equals("raw") ? 307 : 302, other.url()), 1);
            String message = failure(read(first.url(), mode));
            assertTrue(message.contains("Prometheus rejected " + requestOf(mode)), message);
            String origin = other.url();
            assertTrue(
                    message.contains("at " + first.url() + ": HTTP " + (mode.equals("raw") ? 307 : 302)
                            + ": redirected to " + origin
                            + ", another origin than option 'url'; redirects are followed only"
                            + " within that origin, so that credentials and headers never reach another server. If "
                            + origin
                            + " is the server to read, set option 'url' to it"),
                    message);
            assertEquals(1, first.requestCount(), mode + ": not retried");
            assertEquals(0, other.requestCount(), mode + ": neither the token nor the header reached " + origin);
        }
    }

    @ParameterizedTest(name = "mode={0}")
    @ValueSource(strings = {"range", "raw"})
    void aRedirectWithinTheOriginIsFollowedWithIdenticalRows(String mode) throws Exception {
        List<String> expected = rows(read(PROMETHEUS.url(), mode));
        try (FaultInjectingProxy proxy = FaultInjectingProxy.start(PROMETHEUS.url())) {
            proxy.enqueue(Fault.redirect(mode.equals("raw") ? 307 : 302, proxy.url()), 1);
            assertEquals(expected, rows(read(proxy.url(), mode)), mode);
            List<RecordedRequest> requests = proxy.requests(pathOf(mode));
            assertEquals(2, requests.size(), mode);
            assertEquals(requests.get(0).method(), requests.get(1).method(), mode + ": a 307 keeps the POST");
            assertEquals("Bearer " + TOKEN, requests.get(1).header("Authorization"), mode);
            assertEquals(TENANT, requests.get(1).header("X-Scope-OrgID"), mode);
        }
    }

    @Test
    void aServerThatIsGoneEndsWithTheKindOfTheLastFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String message = failure(read("http://127.0.0.1:" + closedPort, "range").option("maxRetries", "1"));
        assertTrue(
                message.contains(
                        "after 2 attempts (maxRetries=1): " + requestOf("range") + " at http://127.0.0.1:" + closedPort
                                + "; last failure: java.net.ConnectException: Connection refused or host unreachable"),
                message);
    }
}
