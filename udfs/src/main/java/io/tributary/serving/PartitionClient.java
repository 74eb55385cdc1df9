package io.tributary.serving;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/** The client side of {@link PartitionServer}'s protocol. */
public final class PartitionClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    private PartitionClient() {}

    /**
     * Opens the partition's Arrow IPC stream; the caller closes it.
     *
     * @throws PartitionAccessException with the server's reason when it refuses
     */
    public static InputStream fetch(String host, int port, PartitionTicket ticket)
            throws IOException, PartitionAccessException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "fetch");
        request.put("serving", ticket.servingId());
        request.put("partition", ticket.partition());
        request.put("secret", ticket.secret());
        Socket socket = connect(host, port);
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            send(socket, request);
            requireOk(in, host, port);
            socket.setSoTimeout(0);
            return new java.io.FilterInputStream(in) {
                @Override
                public void close() throws IOException {
                    socket.close();
                }
            };
        } catch (IOException | PartitionAccessException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Forgets the serving's partitions on that server.
     *
     * @return how many it held
     */
    public static int release(String host, int port, String servingId, String secret)
            throws IOException, PartitionAccessException {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", "release");
        request.put("serving", servingId);
        request.put("secret", secret);
        try (Socket socket = connect(host, port)) {
            send(socket, request);
            return requireOk(socket.getInputStream(), host, port)
                    .path("released")
                    .asInt();
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(PartitionServer.REQUEST_READ_TIMEOUT_MILLIS);
        } catch (IOException e) {
            socket.close();
            throw new IOException("Cannot reach the partition server at " + host + ":" + port + ": " + e, e);
        }
        return socket;
    }

    private static void send(Socket socket, Map<String, Object> request) throws IOException {
        OutputStream out = socket.getOutputStream();
        PartitionServer.writeFrame(out, request);
        out.flush();
    }

    private static JsonNode requireOk(InputStream in, String host, int port)
            throws IOException, PartitionAccessException {
        JsonNode status = PartitionServer.readFrame(in);
        if (!status.path("ok").asBoolean()) {
            throw new PartitionAccessException("Partition server " + host + ":" + port + ": "
                    + status.path("error").asText());
        }
        return status;
    }
}
