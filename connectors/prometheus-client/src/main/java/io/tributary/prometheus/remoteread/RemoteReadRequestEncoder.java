package io.tributary.prometheus.remoteread;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.xerial.snappy.Snappy;

/**
 * Writes the body of a {@code POST /api/v1/read}: a protobuf {@code prometheus.ReadRequest}, snappy
 * block-compressed (not framed), as remote read requires. Every query covers the same time range; the accepted
 * response types are streamed XOR chunks first, then plain samples for servers that do not stream.
 */
public final class RemoteReadRequestEncoder {
    private RemoteReadRequestEncoder() {}

    /**
     * @param queries the matchers of each query (one query per selector)
     * @param startMillis first millisecond, included
     * @param endMillis last millisecond, included (Prometheus 2.x includes both ends)
     */
    public static byte[] encode(List<List<RemoteReadMatcher>> queries, long startMillis, long endMillis) {
        try {
            return Snappy.compress(protobuf(queries, startMillis, endMillis));
        } catch (IOException e) {
            throw new UncheckedIOException("snappy could not compress a remote-read request", e);
        }
    }

    /** The uncompressed protobuf message; visible for tests. */
    static byte[] protobuf(List<List<RemoteReadMatcher>> queries, long startMillis, long endMillis) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (List<RemoteReadMatcher> matchers : queries) {
            byte[] query = query(matchers, startMillis, endMillis);
            out.writeByteArray(RemoteReadProto.READ_REQUEST_QUERIES, query);
        }
        out.writeEnum(
                RemoteReadProto.READ_REQUEST_ACCEPTED_RESPONSE_TYPES,
                RemoteReadProto.RESPONSE_TYPE_STREAMED_XOR_CHUNKS);
        out.writeEnum(RemoteReadProto.READ_REQUEST_ACCEPTED_RESPONSE_TYPES, RemoteReadProto.RESPONSE_TYPE_SAMPLES);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] query(List<RemoteReadMatcher> matchers, long startMillis, long endMillis) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeInt64(RemoteReadProto.QUERY_START_TIMESTAMP_MS, startMillis);
        out.writeInt64(RemoteReadProto.QUERY_END_TIMESTAMP_MS, endMillis);
        for (RemoteReadMatcher matcher : matchers) {
            ByteArrayOutputStream matcherBytes = new ByteArrayOutputStream();
            CodedOutputStream m = CodedOutputStream.newInstance(matcherBytes);
            m.writeEnum(RemoteReadProto.MATCHER_TYPE, matcher.op().protoValue);
            m.writeString(RemoteReadProto.MATCHER_NAME, matcher.name());
            m.writeString(RemoteReadProto.MATCHER_VALUE, matcher.value());
            m.flush();
            out.writeByteArray(RemoteReadProto.QUERY_MATCHERS, matcherBytes.toByteArray());
        }
        out.flush();
        return bytes.toByteArray();
    }
}
