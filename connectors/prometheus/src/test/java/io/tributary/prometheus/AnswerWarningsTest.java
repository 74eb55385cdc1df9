package io.tributary.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.prometheus.client.PrometheusAnswerException;
import io.tributary.prometheus.client.PrometheusReadCounters;
import io.tributary.prometheus.client.RangeQueryResponseParser;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.Test;

class AnswerWarningsTest {
    private static final String REQUEST =
            "query_range up over [2023-01-01T00:00:00Z, 2023-01-01T01:00:00Z] step 15s" + " at http://127.0.0.1:9090";

    private static RangeQueryResponseParser.Response answer(List<String> warnings, List<String> infos) {
        return new RangeQueryResponseParser.Response("success", null, null, List.of(), warnings, infos);
    }

    @Test
    void aWarningFailsTheReadQuotingItAndNamingTheOption() {
        PrometheusReadCounters counters = new PrometheusReadCounters();
        PrometheusAnswerException error = assertThrows(
                PrometheusAnswerException.class,
                () -> new AnswerWarnings(false)
                        .check(
                                answer(
                                        List.of("PromQL info: ignored", "No StoreAPIs matched for this query"),
                                        List.of()),
                                REQUEST,
                                counters));
        assertEquals(
                "Prometheus answered " + REQUEST + " with a warning that the answer may be partial: \"No StoreAPIs"
                        + " matched for this query\". Rows of a partial answer would be missing without an error, so the read"
                        + " fails; set option 'allowPartialResponse'=true to accept partial data knowingly (its warnings are then"
                        + " logged and counted in the scan metric 'Prometheus answer warnings')",
                error.getMessage());
        assertEquals(2, counters.answerWarnings, "counted before failing");
    }

    @Test
    void eachDistinctTextIsLoggedOncePerTaskAtWarn() {
        List<String> logged = new ArrayList<>();
        Logger logger = (Logger) LogManager.getLogger(AnswerWarnings.class);
        AbstractAppender capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                logged.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
            }
        };
        capture.start();
        logger.addAppender(capture);
        Level level = logger.getLevel();
        logger.setLevel(Level.WARN);
        try {
            PrometheusReadCounters counters = new PrometheusReadCounters();
            AnswerWarnings task = new AnswerWarnings(true);
            task.check(answer(List.of("store b down"), List.of("PromQL info: x")), REQUEST, counters);
            task.check(answer(List.of("store b down", "store c down"), List.of()), REQUEST, counters);
            new AnswerWarnings(true).check(answer(List.of("store b down"), List.of()), REQUEST, counters);
            String suffix = "; each distinct note is logged once per task and every one is counted in the scan metric"
                    + " 'Prometheus answer warnings')";
            String partial = "the answer may be partial, read as option 'allowPartialResponse'=true allows";
            assertEquals(
                    List.of(
                            "WARN Prometheus answered " + REQUEST + " with the note \"store b down\" (" + partial
                                    + suffix,
                            "WARN Prometheus answered " + REQUEST
                                    + " with the note \"PromQL info: x\" (a PromQL annotation, the rows"
                                    + " are complete" + suffix,
                            "WARN Prometheus answered " + REQUEST + " with the note \"store c down\" (" + partial
                                    + suffix,
                            "WARN Prometheus answered " + REQUEST + " with the note \"store b down\" (" + partial
                                    + suffix),
                    logged,
                    "once per text per task: the second task logs its first warning again");
            assertEquals(5, counters.answerWarnings);
        } finally {
            logger.removeAppender(capture);
            logger.setLevel(level);
        }
    }

    @Test
    void allowedPartialAnswersAndPromqlAnnotationsAreCountedNotFailed() {
        PrometheusReadCounters counters = new PrometheusReadCounters();
        AnswerWarnings allowing = new AnswerWarnings(true);
        allowing.check(answer(List.of("store b down"), List.of()), REQUEST, counters);
        allowing.check(answer(List.of("store b down"), List.of()), REQUEST, counters);
        assertEquals(2, counters.answerWarnings, "every warning of every answer counts");

        AnswerWarnings strict = new AnswerWarnings(false);
        strict.check(
                answer(
                        List.of(
                                "PromQL warning: quantile value should be between 0 and 1",
                                "PromQL info: metric might not be a counter"),
                        List.of("anything under infos")),
                REQUEST,
                counters);
        assertEquals(5, counters.answerWarnings);
    }
}
