package io.tributary.prometheus.remoteread;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.tributary.prometheus.client.PrometheusAnswerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * Remote read returns native histograms in encodings of their own: both answer types fail, naming the series and
 * what reads it instead, where skipping them would silently drop the series.
 */
class RemoteReadHistogramTest {
    private static final String MESSAGE = "Series {__name__=lat, path=/a} holds native histograms (%s), which mode=raw"
            + " does not read: it reads float samples only. Read this series with mode=range, whose layout=long returns"
            + " native histograms in its 'histogram' column";

    /** A protobuf message of the given fields, each written by {@code writer}. */
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void labels(CodedOutputStream out, int field) throws IOException {
        out.writeByteArray(field, message(label -> {
            label.writeString(RemoteReadProto.LABEL_NAME, "__name__");
            label.writeString(RemoteReadProto.LABEL_VALUE, "lat");
        }));
        out.writeByteArray(field, message(label -> {
            label.writeString(RemoteReadProto.LABEL_NAME, "path");
            label.writeString(RemoteReadProto.LABEL_VALUE, "/a");
        }));
    }

    @Test
    void histogramChunksFailNamingTheSeriesAndModeRange() throws IOException {
        byte[] frame =
                message(response -> response.writeByteArray(RemoteReadProto.CHUNKED_RESPONSE_SERIES, message(series -> {
                    labels(series, RemoteReadProto.CHUNKED_SERIES_LABELS);
                    series.writeByteArray(RemoteReadProto.CHUNKED_SERIES_CHUNKS, message(chunk -> {
                        chunk.writeInt64(RemoteReadProto.CHUNK_MIN_TIME_MS, 1000);
                        chunk.writeInt64(RemoteReadProto.CHUNK_MAX_TIME_MS, 2000);
                        chunk.writeEnum(RemoteReadProto.CHUNK_TYPE, RemoteReadProto.CHUNK_ENCODING_HISTOGRAM);
                        chunk.writeBytes(RemoteReadProto.CHUNK_DATA, ByteString.copyFrom(new byte[] {0, 1}));
                    }));
                })));
        ChunkedReadResponseDecoder decoder = new ChunkedReadResponseDecoder(new RawSeriesCollector(0, 5000));
        PrometheusAnswerException error = assertThrows(
                PrometheusAnswerException.class, () -> decoder.decode(frame, frame.length, new ArrayList<>()));
        assertEquals(String.format(MESSAGE, "chunks of encoding 2"), error.getMessage());
    }

    @Test
    void histogramSamplesOfAnUnstreamedAnswerFailToo() throws IOException {
        byte[] answer = message(response -> response.writeByteArray(
                RemoteReadProto.READ_RESPONSE_RESULTS,
                message(result -> result.writeByteArray(RemoteReadProto.QUERY_RESULT_TIMESERIES, message(series -> {
                    labels(series, RemoteReadProto.TIMESERIES_LABELS);
                    series.writeByteArray(
                            RemoteReadProto.TIMESERIES_HISTOGRAMS,
                            message(histogram -> histogram.writeInt64(15, 1500)));
                })))));
        PrometheusAnswerException error = assertThrows(
                PrometheusAnswerException.class,
                () -> SamplesReadResponseDecoder.decode(answer, new RawSeriesCollector(0, 5000), new ArrayList<>()));
        assertEquals(String.format(MESSAGE, "histogram samples"), error.getMessage());
    }
}
