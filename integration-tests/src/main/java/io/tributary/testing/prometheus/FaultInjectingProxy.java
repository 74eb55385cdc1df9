package io.tributary.testing.prometheus;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 proxy in front of a real server that records every request and applies queued
 * {@link Fault}s, so connector tests can check what was sent (PromQL, matchers, time ranges) and how failures
 * (5xx, 429 with Retry-After, resets, truncated and stalled bodies, slow answers, redirects, partial answers with
 * warnings) are handled.
 *
 * <p>Requests without a queued fault are forwarded unchanged (method, path, query, headers, body) and the
 * response is streamed back, keeping the upstream's Content-Length or re-chunking. Faults apply in queue order,
 * each to one request (optionally only requests whose path starts with a prefix).
 *
 * <p>Example:
 * <pre>{@code
 * try (FaultInjectingProxy proxy = FaultInjectingProxy.start(prometheus.url())) {
 *   proxy.enqueue(Fault.status(503, "overloaded"), 2);      // the next two requests fail
 *   ... read through proxy.url() ...
 *   assertEquals("node_memory_MemFree_bytes", proxy.requests().get(2).parameter("query"));
 * }
 * }</pre>
 */
public final class FaultInjectingProxy implements AutoCloseable {
    public static final int DEFAULT_THREADS = 32;
    /** Idle keep-alive connections are closed after this, so a bounded pool is not held by forgotten clients. */
    private static final int IDLE_TIMEOUT_MILLIS = 15_000;
    /** Hop-by-hop headers, and those java.net.http sets itself and refuses to take from callers. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "content-length",
            "expect",
            "host",
            "upgrade",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "http2-settings");

    private final String upstream;
    private final ServerSocket serverSocket;
    private final ExecutorService workers;
    private final Thread acceptor;
    private final HttpClient client;
    private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
    private final Deque<PendingFault> faults = new ArrayDeque<>();
    private final List<RecordedRequest> recorded = new ArrayList<>();
    private final AtomicLong requestCount = new AtomicLong();
    private final AtomicLong faultsApplied = new AtomicLong();
    private volatile boolean closed;

    private FaultInjectingProxy(String upstream, int threads) throws IOException {
        this.upstream = upstream;
        this.serverSocket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t =
                    new Thread(r, "fault-proxy-" + serverSocket.getLocalPort() + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-" + serverSocket.getLocalPort() + "-accept");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Starts a proxy to {@code upstreamUrl} (e.g. {@code http://127.0.0.1:9090}), {@value #DEFAULT_THREADS} threads. */
    public static FaultInjectingProxy start(String upstreamUrl) throws IOException {
        return start(upstreamUrl, DEFAULT_THREADS);
    }

    /** Starts a proxy whose pool serves at most {@code threads} connections at once (more wait in the queue). */
    public static FaultInjectingProxy start(String upstreamUrl, int threads) throws IOException {
        URI uri = URI.create(upstreamUrl);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null) {
            throw new IllegalArgumentException(
                    "upstreamUrl must be http://host[:port][/path] without a query, got " + upstreamUrl);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        String base = upstreamUrl.endsWith("/") ? upstreamUrl.substring(0, upstreamUrl.length() - 1) : upstreamUrl;
        return new FaultInjectingProxy(base, threads);
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Applies {@code fault} to each of the next {@code times} requests (after faults queued earlier). */
    public void enqueue(Fault fault, int times) {
        enqueue("", fault, times);
    }

    /** Like {@link #enqueue(Fault, int)}, but only requests whose path starts with {@code pathPrefix} count. */
    public void enqueue(String pathPrefix, Fault fault, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        synchronized (faults) {
            faults.addLast(new PendingFault(pathPrefix, fault, times));
        }
    }

    /** Fault applications still queued. */
    public int pendingFaults() {
        synchronized (faults) {
            return faults.stream().mapToInt(f -> f.remaining).sum();
        }
    }

    /** Every request received so far, in arrival order. */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** Recorded requests to paths starting with {@code pathPrefix}. */
    public List<RecordedRequest> requests(String pathPrefix) {
        return requests().stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    public long requestCount() {
        return requestCount.get();
    }

    public long faultsApplied() {
        return faultsApplied.get();
    }

    /** Forgets recorded requests, queued faults and counters, e.g. between test cases sharing one proxy. */
    public void reset() {
        synchronized (faults) {
            faults.clear();
        }
        synchronized (recorded) {
            recorded.clear();
        }
        requestCount.set(0);
        faultsApplied.set(0);
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // Closing is best effort; the port is released with the process at the latest.
        }
        for (Socket socket : openSockets) {
            closeQuietly(socket);
        }
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = serverSocket.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                workers.execute(() -> serve(socket));
            } catch (RejectedExecutionException shuttingDown) {
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        openSockets.add(socket);
        try (socket) {
            socket.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            while (!closed) {
                RawHttpRequest request = RawHttpRequest.read(in, out);
                if (request == null) {
                    return;
                }
                requestCount.incrementAndGet();
                Fault fault = takeFault(request.path());
                synchronized (recorded) {
                    recorded.add(request.record(fault));
                }
                if (fault != null) {
                    faultsApplied.incrementAndGet();
                }
                if (!respond(request, fault, socket, out) || request.wantsClose()) {
                    return;
                }
            }
        } catch (SocketTimeoutException | SocketException idleOrGone) {
            // The client went away or idled out, or close() shut the socket: nobody is left to answer.
        } catch (IOException malformed) {
            // Not HTTP/1.x as RawHttpRequest reads it: dropping the connection is the answer the client sees.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openSockets.remove(socket);
        }
    }

    private Fault takeFault(String path) {
        synchronized (faults) {
            for (Iterator<PendingFault> it = faults.iterator(); it.hasNext(); ) {
                PendingFault pending = it.next();
                if (path.startsWith(pending.pathPrefix)) {
                    if (--pending.remaining == 0) {
                        it.remove();
                    }
                    return pending.fault;
                }
            }
            return null;
        }
    }

    /** Answers one request; returns whether the connection can serve another. */
    private boolean respond(RawHttpRequest request, Fault fault, Socket socket, OutputStream out)
            throws IOException, InterruptedException {
        if (fault == null) {
            return forward(request, out);
        }
        if (fault instanceof Fault.Status status) {
            writeComplete(out, status.statusCode(), status.contentType(), status.body(), Map.of());
            return true;
        }
        if (fault instanceof Fault.TooManyRequests tooMany) {
            writeComplete(
                    out,
                    429,
                    "text/plain; charset=utf-8",
                    "rate limited by FaultInjectingProxy; retry after " + tooMany.retryAfterSeconds() + " s",
                    Map.of("Retry-After", Long.toString(tooMany.retryAfterSeconds())));
            return true;
        }
        if (fault instanceof Fault.Delay delay) {
            Thread.sleep(delay.delay().toMillis());
            return forward(request, out);
        }
        if (fault instanceof Fault.Redirect redirect) {
            writeComplete(
                    out,
                    redirect.statusCode(),
                    "text/plain; charset=utf-8",
                    "",
                    Map.of("Location", redirect.baseUrl() + request.target));
            return true;
        }
        if (fault instanceof Fault.StallBody stall) {
            return stallBody(request, stall, socket, out);
        }
        UpstreamAnswer answer = fetchFully(request, out);
        if (answer == null) {
            return true;
        }
        if (fault instanceof Fault.AnswerNote note) {
            byte[] rewritten = answer.status == 200 ? withNote(answer.body, note) : answer.body;
            writeHead(out, answer.status, answer.headers, "Content-Length: " + rewritten.length);
            out.write(rewritten);
            out.flush();
            return true;
        }
        byte[] body = answer.body;
        int sent = body.length / 2;
        if (fault instanceof Fault.ResetMidBody) {
            writeHead(out, answer.status, answer.headers, "Content-Length: " + body.length);
            out.write(body, 0, sent);
            out.flush();
            // Linger 0 makes close() send RST instead of FIN; the bytes above are already in the peer's buffer.
            socket.setSoLinger(true, 0);
            socket.close();
            return false;
        }
        writeHead(out, answer.status, answer.headers, "Content-Length: " + Math.max(1, body.length));
        out.write(body, 0, sent);
        out.flush();
        socket.shutdownOutput();
        return false;
    }

    /** Sends the head and the first bytes of the upstream answer, then holds the connection until either side ends. */
    private boolean stallBody(RawHttpRequest request, Fault.StallBody stall, Socket socket, OutputStream out)
            throws IOException, InterruptedException {
        UpstreamAnswer answer = fetchFully(request, out);
        if (answer == null) {
            return true;
        }
        byte[] body = answer.body;
        writeHead(out, answer.status, answer.headers, "Content-Length: " + Math.max(1, body.length));
        out.write(body, 0, Math.min(stall.bytes(), Math.max(0, body.length - 1)));
        out.flush();
        InputStream in = socket.getInputStream();
        while (!closed) {
            try {
                if (in.read() < 0) {
                    return false; // the client gave up and closed its end
                }
            } catch (SocketTimeoutException stillOpen) {
                // Idle, as a stalled server is: keep holding until the client or close() ends it.
            }
        }
        return false;
    }

    private boolean forward(RawHttpRequest request, OutputStream out) throws IOException, InterruptedException {
        HttpResponse<InputStream> response;
        try {
            response = client.send(upstreamRequest(request), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | IllegalArgumentException e) {
            writeBadGateway(out, request, e);
            return true;
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            String length = response.headers().firstValue("content-length").orElse(null);
            boolean bodyless = "HEAD".equals(request.method) || status == 204 || status == 304;
            if (bodyless || length != null) {
                writeHead(out, status, response.headers(), length == null ? null : "Content-Length: " + length);
                if (!bodyless) {
                    body.transferTo(out);
                }
            } else {
                writeHead(out, status, response.headers(), "Transfer-Encoding: chunked");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = body.read(buffer)) > 0; ) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(buffer, 0, n);
                    out.write(CRLF);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        }
        return true;
    }

    /** The whole upstream answer, or null after answering 502 because there is none. */
    private UpstreamAnswer fetchFully(RawHttpRequest request, OutputStream out)
            throws IOException, InterruptedException {
        try {
            HttpResponse<byte[]> response =
                    client.send(upstreamRequest(request), HttpResponse.BodyHandlers.ofByteArray());
            return new UpstreamAnswer(response.statusCode(), response.headers(), response.body());
        } catch (IOException | IllegalArgumentException e) {
            writeBadGateway(out, request, e);
            return null;
        }
    }

    /** A Prometheus JSON answer with {@code note} added (and half its series dropped, if the note says so). */
    private static byte[] withNote(byte[] body, Fault.AnswerNote note) throws IOException {
        ObjectNode root = (ObjectNode) EXACT_JSON.readTree(body);
        JsonNode notes = root.get(note.key());
        ArrayNode texts = notes instanceof ArrayNode array ? array : root.putArray(note.key());
        texts.add(note.text());
        JsonNode result = root.path("data").path("result");
        if (note.dropSecondHalf() && result instanceof ArrayNode series) {
            for (int keep = series.size() / 2; series.size() > keep; ) {
                series.remove(series.size() - 1);
            }
        }
        return EXACT_JSON.writeValueAsBytes(root);
    }

    private HttpRequest upstreamRequest(RawHttpRequest request) {
        HttpRequest.BodyPublisher body = request.body.length == 0 && request.header("content-length") == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(request.body);
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(upstream + request.target)).method(request.method, body);
        for (Map.Entry<String, String> header : request.headerLines) {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                builder.header(header.getKey(), header.getValue());
            }
        }
        return builder.build();
    }

    private static final byte[] CRLF = {'\r', '\n'};
    /** Reads and writes numbers with their exact text (timestamps such as 1672531215.5 stay as Prometheus wrote them). */
    private static final ObjectMapper EXACT_JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private static void writeHead(OutputStream out, int status, HttpHeaders headers, String framingHeader)
            throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(reason(status))
                .append("\r\n");
        headers.map().forEach((name, values) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
            }
        });
        if (framingHeader != null) {
            head.append(framingHeader).append("\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void writeComplete(
            OutputStream out, int status, String contentType, String body, Map<String, String> extraHeaders)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ")
                .append(status)
                .append(' ')
                .append(reason(status))
                .append("\r\nContent-Type: ")
                .append(contentType)
                .append("\r\nContent-Length: ")
                .append(bytes.length)
                .append("\r\n");
        extraHeaders.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private void writeBadGateway(OutputStream out, RawHttpRequest request, Exception cause) throws IOException {
        writeComplete(
                out,
                502,
                "text/plain; charset=utf-8",
                "FaultInjectingProxy could not forward " + request.method + " " + request.path() + " to " + upstream
                        + ": " + cause,
                Map.of());
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already broken: nothing more to release.
        }
    }

    private static final class PendingFault {
        final String pathPrefix;
        final Fault fault;
        int remaining;

        PendingFault(String pathPrefix, Fault fault, int remaining) {
            this.pathPrefix = pathPrefix;
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private record UpstreamAnswer(int status, HttpHeaders headers, byte[] body) {}
}
