package io.tributary.testing.prometheus;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request read off a socket: request line, headers and a body framed by Content-Length or chunked
 * transfer coding. Only what {@link FaultInjectingProxy} needs to record and forward a request.
 */
final class RawHttpRequest {
    private static final int MAX_HEAD_BYTES = 64 * 1024;

    final String method;
    /** Path and query exactly as sent, e.g. {@code /api/v1/query_range?query=up&step=15}. */
    final String target;
    /** Header lines in order as (original-case name, value). */
    final List<Map.Entry<String, String>> headerLines;

    final byte[] body;

    private RawHttpRequest(String method, String target, List<Map.Entry<String, String>> headerLines, byte[] body) {
        this.method = method;
        this.target = target;
        this.headerLines = headerLines;
        this.body = body;
    }

    /**
     * Reads the next request, or returns null when the client closed the connection before sending one.
     * {@code interim} receives {@code 100 Continue} when the client asks for it before sending its body.
     */
    static RawHttpRequest read(InputStream in, OutputStream interim) throws IOException {
        String requestLine = readLine(in, true);
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x request line: " + requestLine);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int headBytes = requestLine.length();
        for (String line; !(line = readLine(in, false)).isEmpty(); ) {
            headBytes += line.length();
            if (headBytes > MAX_HEAD_BYTES) {
                throw new IOException("request head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed header line: " + line);
            }
            headers.add(Map.entry(
                    line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
        }
        RawHttpRequest head =
                new RawHttpRequest(parts[0], parts[1], Collections.unmodifiableList(headers), new byte[0]);
        if ("100-continue".equalsIgnoreCase(head.header("expect"))) {
            interim.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            interim.flush();
        }
        byte[] body;
        String transferEncoding = head.header("transfer-encoding");
        String contentLength = head.header("content-length");
        if (transferEncoding != null
                && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked(in);
        } else if (contentLength != null) {
            int length = parseSize(contentLength, 10, "Content-Length");
            body = in.readNBytes(length);
            if (body.length != length) {
                throw new EOFException("request body ended after " + body.length + " of " + contentLength + " bytes");
            }
        } else {
            body = new byte[0];
        }
        return new RawHttpRequest(head.method, head.target, head.headerLines, body);
    }

    /** The first value of header {@code name} (any case), or null. */
    String header(String name) {
        for (Map.Entry<String, String> h : headerLines) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    String path() {
        int q = target.indexOf('?');
        return URLDecoder.decode(q < 0 ? target : target.substring(0, q), StandardCharsets.UTF_8);
    }

    String rawQuery() {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q + 1);
    }

    boolean wantsClose() {
        String connection = header("connection");
        return connection != null && connection.toLowerCase(Locale.ROOT).contains("close");
    }

    RecordedRequest record(Fault fault) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headerLines) {
            headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(h.getValue());
        }
        headers.replaceAll((k, v) -> List.copyOf(v));
        String contentType = header("content-type");
        boolean form = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        String text = new String(body, StandardCharsets.UTF_8);
        return new RecordedRequest(
                method,
                path(),
                decodeParameters(rawQuery()),
                form ? decodeParameters(text) : Map.of(),
                Collections.unmodifiableMap(headers),
                text,
                fault);
    }

    /** Decodes {@code a=1&b=x+y} the way HTML forms and Prometheus' Go server do ({@code +} is a space). */
    static Map<String, List<String>> decodeParameters(String encoded) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (!encoded.isEmpty()) {
            for (String pair : encoded.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        parameters.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(parameters);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in, false);
            int semicolon = sizeLine.indexOf(';');
            int size =
                    parseSize((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16, "chunk size");
            if (size == 0) {
                while (!readLine(in, false).isEmpty()) {
                    // Trailer fields are not forwarded.
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("chunked request body ended mid-chunk");
            }
            body.write(chunk);
            readLine(in, false);
        }
    }

    private static int parseSize(String text, int radix, String what) throws IOException {
        try {
            int size = Integer.parseInt(text.trim(), radix);
            if (size < 0) {
                throw new NumberFormatException("negative");
            }
            return size;
        } catch (NumberFormatException e) {
            throw new IOException("malformed " + what + ": " + text, e);
        }
    }

    /** Reads one CRLF- (or LF-) terminated ISO-8859-1 line; null at a clean end of stream if {@code eofAllowed}. */
    private static String readLine(InputStream in, boolean eofAllowed) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (eofAllowed && line.length() == 0) {
                    return null;
                }
                throw new EOFException("connection closed mid-request");
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (line.length() > MAX_HEAD_BYTES) {
                throw new IOException("request line longer than " + MAX_HEAD_BYTES + " bytes");
            }
            line.append((char) b);
        }
    }
}
