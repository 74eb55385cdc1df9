package io.tributary.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP transport of a JVM's {@link ServedPartitionRegistry}: one server per bind address, started on first use,
 * for the life of the JVM. Serving needs no Spark task slot.
 *
 * <p>Protocol, one request per connection; a frame is a 4-byte big-endian length and that many bytes of JSON:
 * <pre>
 *   client -&gt; server  {"op": "fetch", "serving": id, "partition": n, "secret": s}
 *   server -&gt; client  {"ok": true}, then the partition's Arrow IPC stream until the server closes the connection
 *                      or {"ok": false, "error": message}
 *   client -&gt; server  {"op": "release", "serving": id, "secret": s}
 *   server -&gt; client  {"ok": true, "released": count} or {"ok": false, "error": message}
 * </pre>
 */
public final class PartitionServer {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionServer.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_REQUEST_BYTES = 64 * 1024;
    /** A client that connects and sends nothing is dropped after this long. */
    static final int REQUEST_READ_TIMEOUT_MILLIS = 30_000;

    private static final int MAX_CONNECTIONS = 64;
    private static final Map<String, PartitionServer> BY_HOST = new HashMap<>();

    private final ServerSocket socket;
    private final ServedPartitionRegistry registry;
    private final ThreadPoolExecutor handlers;
    private final String host;

    private PartitionServer(String host, ServedPartitionRegistry registry) throws IOException {
        this.host = host;
        this.registry = registry;
        this.socket = new ServerSocket();
        this.socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 128);
        AtomicInteger n = new AtomicInteger();
        // Handler threads end after 5 s idle; beyond MAX_CONNECTIONS at once a connection is refused.
        this.handlers = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "tributary-partition-server-" + port() + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::acceptLoop, "tributary-partition-server-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
        LOG.info("Serving partitions on {}:{}", host, port());
    }

    /** The JVM's server bound to {@code host} (an address of this machine), started on first use. */
    public static synchronized PartitionServer on(String host) {
        PartitionServer server = BY_HOST.get(host);
        if (server == null) {
            try {
                server = new PartitionServer(host, ServedPartitionRegistry.shared());
            } catch (IOException e) {
                throw new IllegalStateException("Cannot start a partition server on " + host + ": " + e, e);
            }
            BY_HOST.put(host, server);
        }
        return server;
    }

    public String host() {
        return host;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Handler threads alive now (each serves one connection, then idles for a while). */
    public int handlerThreads() {
        return handlers.getPoolSize();
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket connection;
            try {
                connection = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.warn("Partition server on {}:{} failed to accept: {}", host, port(), e.toString());
                }
                continue;
            }
            try {
                handlers.execute(() -> serve(connection));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                reply(
                        connection,
                        error("the partition server is busy (" + MAX_CONNECTIONS + " connections); try again"));
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(REQUEST_READ_TIMEOUT_MILLIS);
            JsonNode request = readFrame(connection.getInputStream());
            String op = request.path("op").asText();
            try {
                if (op.equals("fetch")) {
                    fetch(
                            connection,
                            new PartitionTicket(
                                    request.path("serving").asText(),
                                    request.path("partition").asInt(-1),
                                    request.path("secret").asText()));
                } else if (op.equals("release")) {
                    int released = registry.release(
                            request.path("serving").asText(),
                            request.path("secret").asText());
                    Map<String, Object> ok = new LinkedHashMap<>();
                    ok.put("ok", true);
                    ok.put("released", released);
                    reply(connection, ok);
                } else {
                    reply(connection, error("unknown op '" + op + "'; expected fetch or release"));
                }
            } catch (PartitionAccessException e) {
                LOG.warn("Refused a request from {}: {}", connection.getRemoteSocketAddress(), e.getMessage());
                reply(connection, error(e.getMessage()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn(
                    "Partition server on {}:{}: a request from {} failed: {}",
                    host,
                    port(),
                    connection.getRemoteSocketAddress(),
                    e.toString());
        }
    }

    private void fetch(Socket connection, PartitionTicket ticket) throws PartitionAccessException, IOException {
        ServedPartition partition = registry.take(ticket);
        try (InputStream in = partition.open(Duration.ofMillis(REQUEST_READ_TIMEOUT_MILLIS))) {
            OutputStream out = new BufferedOutputStream(connection.getOutputStream(), 1 << 16);
            writeFrame(out, Map.of("ok", true));
            long bytes = in.transferTo(out);
            out.flush();
            connection.shutdownOutput();
            LOG.info("Served {} ({} bytes) to {}", ticket.describe(), bytes, connection.getRemoteSocketAddress());
        } finally {
            partition.discard();
        }
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("ok", false);
        error.put("error", message);
        return error;
    }

    private static void reply(Socket connection, Map<String, Object> status) {
        try (connection) {
            OutputStream out = connection.getOutputStream();
            writeFrame(out, status);
            out.flush();
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        }
    }

    static void writeFrame(OutputStream out, Object value) throws IOException {
        byte[] payload = JSON.writeValueAsBytes(value);
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(payload.length);
        data.write(payload);
    }

    static JsonNode readFrame(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int length = data.readInt();
        if (length < 0 || length > MAX_REQUEST_BYTES) {
            throw new SocketException("frame of " + length + " bytes (at most " + MAX_REQUEST_BYTES + ")");
        }
        byte[] payload = new byte[length];
        data.readFully(payload);
        return JSON.readTree(payload);
    }
}
