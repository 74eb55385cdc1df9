package io.tributary.prometheus.remoteread;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.tributary.prometheus.client.SeriesBlock;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a non-streamed remote-read answer (response type SAMPLES), the fallback for servers that do not stream:
 * a protobuf {@code ReadResponse} (already snappy-decompressed) of {@code QueryResult}s of {@code TimeSeries}
 * with plain (value, timestamp) samples. A series with native-histogram samples fails the read, naming it.
 */
final class SamplesReadResponseDecoder {
    private SamplesReadResponseDecoder() {}

    static void decode(byte[] message, RawSeriesCollector samples, List<SeriesBlock> out) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) != RemoteReadProto.READ_RESPONSE_RESULTS) {
                in.skipField(tag);
                continue;
            }
            int resultLimit = in.pushLimit(in.readRawVarint32());
            for (int inner = in.readTag(); inner != 0; inner = in.readTag()) {
                if (WireFormat.getTagFieldNumber(inner) == RemoteReadProto.QUERY_RESULT_TIMESERIES) {
                    int seriesLimit = in.pushLimit(in.readRawVarint32());
                    decodeSeries(in, samples, out);
                    in.popLimit(seriesLimit);
                } else {
                    in.skipField(inner);
                }
            }
            in.popLimit(resultLimit);
        }
    }

    private static void decodeSeries(CodedInputStream in, RawSeriesCollector samples, List<SeriesBlock> out)
            throws IOException {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == RemoteReadProto.TIMESERIES_LABELS) {
                int limit = in.pushLimit(in.readRawVarint32());
                readLabel(in, labels);
                in.popLimit(limit);
            } else if (field == RemoteReadProto.TIMESERIES_HISTOGRAMS) {
                throw RawSeriesCollector.histogramsNotRead(labels, "histogram samples");
            } else if (field == RemoteReadProto.TIMESERIES_SAMPLES) {
                int limit = in.pushLimit(in.readRawVarint32());
                readSample(in, samples);
                in.popLimit(limit);
            } else {
                in.skipField(tag);
            }
        }
        samples.flushInto(labels, out);
    }

    private static void readSample(CodedInputStream in, RawSeriesCollector samples) throws IOException {
        double value = 0;
        long timestamp = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case RemoteReadProto.SAMPLE_VALUE:
                    value = in.readDouble();
                    break;
                case RemoteReadProto.SAMPLE_TIMESTAMP:
                    timestamp = in.readInt64();
                    break;
                default:
                    in.skipField(tag);
            }
        }
        samples.add(timestamp, value);
    }

    /** Reads one {@code Label} message (within its pushed limit) into {@code labels}. */
    static void readLabel(CodedInputStream in, Map<String, String> labels) throws IOException {
        String name = "";
        String value = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case RemoteReadProto.LABEL_NAME:
                    name = in.readStringRequireUtf8();
                    break;
                case RemoteReadProto.LABEL_VALUE:
                    value = in.readStringRequireUtf8();
                    break;
                default:
                    in.skipField(tag);
            }
        }
        labels.put(name, value);
    }
}
