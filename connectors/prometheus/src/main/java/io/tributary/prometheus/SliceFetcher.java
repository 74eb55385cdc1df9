package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusAnswerException;
import io.tributary.prometheus.client.PrometheusDuration;
import io.tributary.prometheus.client.PrometheusHttpClient;
import io.tributary.prometheus.client.PrometheusQueryException;
import io.tributary.prometheus.client.PrometheusReadCounters;
import io.tributary.prometheus.client.RangeQueryResponseParser;
import io.tributary.prometheus.client.SeriesBlock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one query over one slice in as many requests as the samples budget needs, one request per call. The
 * first request learns how many series the query matches; later ones are sized so that series × points stays
 * within {@code maxSamplesPerRequest}. A 422 "too many samples" answer halves the request and tries again. Each
 * answer's warnings are judged by {@link AnswerWarnings} before its series are handed out.
 */
final class SliceFetcher {
    private final PrometheusHttpClient client;
    private final TimeGrid grid;
    private final long maxSamplesPerRequest;
    private final PrometheusReadCounters counters;
    private final AnswerWarnings warnings;
    private final String displayUrl;
    private final String query;
    private final long endIndex;
    private long nextIndex;
    private long pointsPerRequest;

    SliceFetcher(
            PrometheusHttpClient client,
            RangeReadPlan plan,
            PrometheusReadCounters counters,
            AnswerWarnings warnings,
            String query,
            long firstIndex,
            long endIndex) {
        this.client = client;
        this.grid = plan.grid();
        this.maxSamplesPerRequest = plan.maxSamplesPerRequest();
        this.counters = counters;
        this.warnings = warnings;
        this.displayUrl = plan.connection().displayUrl();
        this.query = query;
        this.endIndex = endIndex;
        this.nextIndex = firstIndex;
        this.pointsPerRequest = Math.min(endIndex - firstIndex, PrometheusSourceOptions.MAX_POINTS_PER_SERIES);
    }

    /** The series of the next request, in time order; null once the slice is read. */
    List<SeriesBlock> nextBlocks() {
        while (nextIndex < endIndex) {
            long points = Math.min(pointsPerRequest, endIndex - nextIndex);
            long startMillis = grid.timestampMillis(nextIndex);
            long endMillis = grid.timestampMillis(nextIndex + points - 1);
            RangeQueryResponseParser.Response response;
            try {
                response = client.queryRange(query, startMillis, endMillis, grid.stepMillis());
            } catch (PrometheusQueryException e) {
                if (e.isTooManySamples() && points > 1) {
                    pointsPerRequest = points / 2;
                    continue;
                }
                throw e;
            } catch (PrometheusAnswerException e) {
                throw e.forRequest(describe(startMillis, endMillis));
            }
            counters.samples += response.sampleCount();
            warnings.check(response, describe(startMillis, endMillis), counters);
            int series = response.series().size();
            if (series > 0) {
                pointsPerRequest = Math.max(
                        1, Math.min(PrometheusSourceOptions.MAX_POINTS_PER_SERIES, maxSamplesPerRequest / series));
            }
            nextIndex += points;
            return response.series();
        }
        return null;
    }

    private String describe(long startMillis, long endMillis) {
        return "query_range " + query + " over [" + Instant.ofEpochMilli(startMillis) + ", "
                + Instant.ofEpochMilli(endMillis) + "] step "
                + PrometheusDuration.format(Duration.ofMillis(grid.stepMillis()))
                + " at " + displayUrl;
    }

    /** Every series of what is left of the slice, for readers that need the whole slice at once. */
    List<SeriesBlock> fetchRemaining() {
        List<SeriesBlock> all = new ArrayList<>();
        for (List<SeriesBlock> blocks = nextBlocks(); blocks != null; blocks = nextBlocks()) {
            all.addAll(blocks);
        }
        return all;
    }
}
