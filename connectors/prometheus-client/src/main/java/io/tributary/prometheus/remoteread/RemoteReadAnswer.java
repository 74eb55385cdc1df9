package io.tributary.prometheus.remoteread;

import io.tributary.prometheus.client.PrometheusQueryException;
import io.tributary.prometheus.client.PrometheusReadCounters;
import io.tributary.prometheus.client.SeriesBlock;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.Snappy;

/**
 * Decodes the 200 answer of one remote-read request into series blocks, by its Content-Type: streamed XOR chunks
 * (asked for first), or a snappy-compressed SAMPLES answer from a server that does not stream, which is counted
 * and logged once per executor, since it costs the server far more memory. The whole answer is decoded before
 * any row is handed out, so a retried request never duplicates or drops a sample.
 */
public final class RemoteReadAnswer {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteReadAnswer.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static final String SAMPLES_CONTENT_TYPE = "application/x-protobuf";
    private static final String CHUNKED_PROTO = "proto=prometheus.ChunkedReadResponse";

    private RemoteReadAnswer() {}

    /**
     * @param maxSamples the budget of one answer: beyond it, reading stops with
     *     {@link RawSeriesCollector.TooManySamplesException} (not retried; the caller narrows the request)
     */
    public static List<SeriesBlock> decode(
            HttpResponse<InputStream> response,
            InputStream body,
            long fromMillis,
            long toMillis,
            long maxSamples,
            PrometheusReadCounters counters,
            String description)
            throws IOException {
        String contentType =
                response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        RawSeriesCollector samples = new RawSeriesCollector(fromMillis, toMillis, maxSamples);
        List<SeriesBlock> blocks = new ArrayList<>();
        if (contentType.startsWith(RemoteReadProto.STREAMED_CONTENT_TYPE)) {
            if (!contentType.contains(CHUNKED_PROTO.toLowerCase(Locale.ROOT))) {
                throw unexpected(contentType, description);
            }
            StreamedFrameReader frames = new StreamedFrameReader(body);
            ChunkedReadResponseDecoder decoder = new ChunkedReadResponseDecoder(samples);
            while (frames.next()) {
                decoder.decode(frames.frame(), frames.length(), blocks);
            }
        } else if (contentType.startsWith(SAMPLES_CONTENT_TYPE)) {
            byte[] compressed = body.readAllBytes();
            SamplesReadResponseDecoder.decode(Snappy.uncompress(compressed), samples, blocks);
            counters.unstreamedAnswers++;
            if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                LOG.warn(
                        "Remote read without streaming: {} answered with SAMPLES ({}), not STREAMED_XOR_CHUNKS; reading"
                                + " the samples works but costs the server memory for the whole answer (Prometheus streams since"
                                + " 2.13). Logged once per executor; the scan's metric 'Prometheus remote reads without streaming'"
                                + " counts them.",
                        description,
                        contentType);
            }
        } else {
            throw unexpected(contentType, description);
        }
        long count = 0;
        for (SeriesBlock block : blocks) {
            count += block.size();
        }
        counters.samples += count;
        return blocks;
    }

    private static PrometheusQueryException unexpected(String contentType, String description) {
        return new PrometheusQueryException(
                200,
                null,
                "the answer's Content-Type is '" + contentType + "', not a"
                        + " remote-read answer (" + RemoteReadProto.STREAMED_CONTENT_TYPE + "; " + CHUNKED_PROTO
                        + " or "
                        + SAMPLES_CONTENT_TYPE
                        + "); check that the URL is a Prometheus-compatible server with remote read",
                description);
    }
}
