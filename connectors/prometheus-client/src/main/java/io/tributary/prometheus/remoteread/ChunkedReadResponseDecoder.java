package io.tributary.prometheus.remoteread;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.tributary.prometheus.client.PrometheusAnswerException;
import io.tributary.prometheus.client.SeriesBlock;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one frame of a streamed remote-read answer, a protobuf {@code ChunkedReadResponse}: each
 * {@code ChunkedSeries} (labels, XOR chunks) becomes a {@link SeriesBlock} of the samples inside the requested range.
 * A series with many chunks may continue in the next frame; it then simply yields a second block.
 */
final class ChunkedReadResponseDecoder {
    private final XorChunkDecoder chunkDecoder = new XorChunkDecoder();
    private final RawSeriesCollector samples;

    ChunkedReadResponseDecoder(RawSeriesCollector samples) {
        this.samples = samples;
    }

    void decode(byte[] frame, int length, List<SeriesBlock> out) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(frame, 0, length);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == RemoteReadProto.CHUNKED_RESPONSE_SERIES) {
                int limit = in.pushLimit(in.readRawVarint32());
                decodeSeries(in, frame, out);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
    }

    private void decodeSeries(CodedInputStream in, byte[] frame, List<SeriesBlock> out) throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == RemoteReadProto.CHUNKED_SERIES_LABELS) {
                int limit = in.pushLimit(in.readRawVarint32());
                SamplesReadResponseDecoder.readLabel(in, labels);
                in.popLimit(limit);
            } else if (field == RemoteReadProto.CHUNKED_SERIES_CHUNKS) {
                int limit = in.pushLimit(in.readRawVarint32());
                decodeChunk(in, frame, labels);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        samples.flushInto(labels, out);
    }

    /** Decodes the chunk's bytes in place in the frame, without copying them. */
    private void decodeChunk(CodedInputStream in, byte[] frame, Map<String, String> labels) throws IOException {
        int encoding = 0;
        long maxTime = Long.MAX_VALUE;
        long minTime = Long.MIN_VALUE;
        int dataOffset = -1;
        int dataLength = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case RemoteReadProto.CHUNK_MIN_TIME_MS:
                    minTime = in.readInt64();
                    break;
                case RemoteReadProto.CHUNK_MAX_TIME_MS:
                    maxTime = in.readInt64();
                    break;
                case RemoteReadProto.CHUNK_TYPE:
                    encoding = in.readEnum();
                    break;
                case RemoteReadProto.CHUNK_DATA:
                    dataLength = in.readRawVarint32();
                    dataOffset = in.getTotalBytesRead();
                    in.skipRawBytes(dataLength);
                    break;
                default:
                    in.skipField(tag);
            }
        }
        if (maxTime < samples.fromMillis() || minTime > samples.toMillis() || dataOffset < 0) {
            return;
        }
        if (encoding == RemoteReadProto.CHUNK_ENCODING_HISTOGRAM
                || encoding == RemoteReadProto.CHUNK_ENCODING_FLOAT_HISTOGRAM) {
            throw RawSeriesCollector.histogramsNotRead(labels, "chunks of encoding " + encoding);
        }
        if (encoding != RemoteReadProto.CHUNK_ENCODING_XOR) {
            throw new PrometheusAnswerException("Series " + labels + " holds chunks of encoding " + encoding
                    + ", which mode=raw does not know; it reads float samples (XOR chunks, encoding 1)");
        }
        chunkDecoder.decode(frame, dataOffset, dataLength, samples);
    }
}
