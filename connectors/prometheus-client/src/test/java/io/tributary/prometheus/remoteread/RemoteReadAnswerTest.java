package io.tributary.prometheus.remoteread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tributary.prometheus.client.PrometheusHttpClient;
import io.tributary.prometheus.client.PrometheusQueryException;
import io.tributary.prometheus.client.PrometheusReadCounters;
import io.tributary.prometheus.client.SeriesBlock;
import io.tributary.prometheus.client.TestConnections;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * Remote read through the real HTTP client against an in-process server that replays answers captured from
 * Prometheus 2.42: the streamed answer and the SAMPLES fallback decode to the same samples, the fallback is
 * counted, and an answer of another Content-Type fails without retries.
 */
class RemoteReadAnswerTest {
    private HttpServer server;
    private final List<String[]> answers = new ArrayList<>();
    private final List<byte[]> requestBodies = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requestBodies.add(exchange.getRequestBody().readAllBytes());
            String[] answer = answers.remove(0);
            byte[] body = resource(answer[1]);
            exchange.getResponseHeaders().set("Content-Type", answer[0]);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in =
                RemoteReadAnswerTest.class.getResourceAsStream("/io/tributary/prometheus/remote-read/" + name)) {
            return in.readAllBytes();
        }
    }

    private List<SeriesBlock> read(PrometheusReadCounters counters) {
        Map<String, String> options = TestConnections.baseOptions();
        options.put("url", "http://127.0.0.1:" + server.getAddress().getPort());
        options.put("maxRetries", "2");
        options.put("retryInitialDelay", "10ms");
        PrometheusHttpClient client = new PrometheusHttpClient(TestConnections.fromOptions(options), counters);
        List<List<RemoteReadMatcher>> queries =
                List.of(List.of(new RemoteReadMatcher("__name__", RemoteReadMatcher.Op.RE, "capture_.*")));
        return client.remoteRead(
                RemoteReadRequestEncoder.encode(queries, 0, Long.MAX_VALUE),
                "remote read test",
                (response, body) -> RemoteReadAnswer.decode(
                        response, body, 0, Long.MAX_VALUE, Long.MAX_VALUE, counters, "remote read test"));
    }

    private static long samples(List<SeriesBlock> blocks) {
        return blocks.stream().mapToLong(SeriesBlock::size).sum();
    }

    @Test
    void streamedAndSamplesAnswersDecodeAlikeAndTheFallbackIsCounted() throws IOException {
        answers.add(
                new String[] {"application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse", "streamed.bin"});
        answers.add(new String[] {"application/x-protobuf", "samples.bin"});
        PrometheusReadCounters counters = new PrometheusReadCounters();
        List<SeriesBlock> streamed = read(counters);
        assertEquals(0, counters.unstreamedAnswers);
        List<SeriesBlock> fallback = read(counters);
        assertEquals(1, counters.unstreamedAnswers);
        assertEquals(1100, samples(streamed));
        assertEquals(1100, samples(fallback));
        assertEquals(2200, counters.samples);
        assertEquals(
                streamed.stream().map(SeriesBlock::labels).toList(),
                fallback.stream().map(SeriesBlock::labels).toList());
        assertEquals(2, counters.requests);
        assertTrue(Snappy.uncompress(requestBodies.get(0)).length > 0, "the request body is snappy-compressed");
    }

    @Test
    void anAnswerThatIsNotRemoteReadFailsAtOnce() {
        answers.add(new String[] {"text/html", "streamed.bin"});
        PrometheusQueryException error =
                assertThrows(PrometheusQueryException.class, () -> read(new PrometheusReadCounters()));
        assertTrue(
                error.getMessage().contains("the answer's Content-Type is 'text/html', not a remote-read answer"),
                error.getMessage());
        assertEquals(1, requestBodies.size(), "not retried");
    }
}
