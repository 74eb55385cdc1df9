package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusAnswerException;
import io.tributary.prometheus.client.PrometheusReadCounters;
import io.tributary.prometheus.client.RangeQueryResponseParser;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges the notes that come with a successful range-query answer. Thanos and Mimir answer 200 with
 * {@code "warnings"} when some of their stores did not answer, and the series those held are simply missing: such
 * an answer fails the read unless {@code allowPartialResponse} is set. PromQL's own annotations (texts starting
 * with {@code PromQL info:} or {@code PromQL warning:}, and everything under {@code "infos"}) describe the query,
 * not missing data, and never fail it. Every note is counted; each distinct text is logged once per task. Shared
 * by the fetches of one task, which may run on several threads.
 */
final class AnswerWarnings {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerWarnings.class);
    private static final String PROMQL_INFO = "PromQL info:";
    private static final String PROMQL_WARNING = "PromQL warning:";

    private final boolean allowPartialResponse;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    AnswerWarnings(boolean allowPartialResponse) {
        this.allowPartialResponse = allowPartialResponse;
    }

    /**
     * Counts and logs the answer's notes, then fails on the first that says the answer may be partial, unless
     * partial answers are allowed.
     *
     * @param request the request, for messages (never credentials)
     * @throws PrometheusAnswerException naming the warning, the request and {@code allowPartialResponse}
     */
    void check(RangeQueryResponseParser.Response response, String request, PrometheusReadCounters counters) {
        counters.answerWarnings += response.warnings().size() + response.infos().size();
        note(response.warnings(), false, request);
        note(response.infos(), true, request);
        if (allowPartialResponse) {
            return;
        }
        for (String warning : response.warnings()) {
            if (!isPromqlAnnotation(warning)) {
                throw new PrometheusAnswerException("Prometheus answered " + request + " with a warning that the answer"
                        + " may be partial: \"" + warning
                        + "\". Rows of a partial answer would be missing without an error,"
                        + " so the read fails; set option '" + PrometheusAnswerOptions.ALLOW_PARTIAL_RESPONSE
                        + "'=true to"
                        + " accept partial data knowingly (its warnings are then logged and counted in the scan metric"
                        + " 'Prometheus answer warnings')");
            }
        }
    }

    private void note(List<String> texts, boolean infos, String request) {
        for (String text : texts) {
            if (logged.add(text)) {
                LOG.warn(
                        "Prometheus answered {} with the note \"{}\" ({}; each distinct note is logged once per task and"
                                + " every one is counted in the scan metric 'Prometheus answer warnings')",
                        request,
                        text,
                        infos || isPromqlAnnotation(text)
                                ? "a PromQL annotation, the rows are complete"
                                : allowPartialResponse
                                        ? "the answer may be partial, read as option '"
                                                + PrometheusAnswerOptions.ALLOW_PARTIAL_RESPONSE + "'=true allows"
                                        : "the answer may be partial, so the read fails");
            }
        }
    }

    static boolean isPromqlAnnotation(String text) {
        return text.startsWith(PROMQL_INFO) || text.startsWith(PROMQL_WARNING);
    }
}
