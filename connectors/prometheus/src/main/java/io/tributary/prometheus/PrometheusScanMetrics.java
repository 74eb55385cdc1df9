package io.tributary.prometheus;

import io.tributary.prometheus.client.PrometheusReadCounters;
import java.util.Arrays;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** The scan's metrics in the Spark UI's SQL tab: requests, bytes received, samples, retries, answer warnings. */
public final class PrometheusScanMetrics {
    static final String REQUESTS = "prometheusRequests";
    static final String BYTES = "prometheusBytesReceived";
    static final String SAMPLES = "prometheusSamples";
    static final String RETRIES = "prometheusRetries";
    static final String UNSTREAMED = "prometheusUnstreamedRemoteReads";
    static final String WARNINGS = "prometheusAnswerWarnings";

    private PrometheusScanMetrics() {}

    static CustomMetric[] supported() {
        return new CustomMetric[] {new Requests(), new BytesReceived(), new Samples(), new Retries(), new Warnings()};
    }

    static CustomTaskMetric[] values(PrometheusReadCounters counters) {
        return new CustomTaskMetric[] {
            taskMetric(REQUESTS, counters.requests), taskMetric(BYTES, counters.bytesReceived),
            taskMetric(SAMPLES, counters.samples), taskMetric(RETRIES, counters.retries),
            taskMetric(WARNINGS, counters.answerWarnings)
        };
    }

    /** mode=raw adds the count of remote-read answers that came without streaming. */
    static CustomMetric[] remoteReadSupported() {
        CustomMetric[] common = supported();
        CustomMetric[] all = Arrays.copyOf(common, common.length + 1);
        all[common.length] = new UnstreamedRemoteReads();
        return all;
    }

    static CustomTaskMetric[] remoteReadValues(PrometheusReadCounters counters) {
        CustomTaskMetric[] common = values(counters);
        CustomTaskMetric[] all = Arrays.copyOf(common, common.length + 1);
        all[common.length] = taskMetric(UNSTREAMED, counters.unstreamedAnswers);
        return all;
    }

    private static CustomTaskMetric taskMetric(String name, long value) {
        return new CustomTaskMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public long value() {
                return value;
            }
        };
    }

    /** Spark instantiates these by class name on the driver, hence public with a no-argument constructor. */
    public static final class Requests extends CustomSumMetric {
        @Override
        public String name() {
            return REQUESTS;
        }

        @Override
        public String description() {
            return "Prometheus HTTP requests";
        }
    }

    public static final class BytesReceived extends CustomSumMetric {
        @Override
        public String name() {
            return BYTES;
        }

        @Override
        public String description() {
            return "Prometheus bytes received";
        }
    }

    public static final class Samples extends CustomSumMetric {
        @Override
        public String name() {
            return SAMPLES;
        }

        @Override
        public String description() {
            return "Prometheus samples decoded";
        }
    }

    public static final class Retries extends CustomSumMetric {
        @Override
        public String name() {
            return RETRIES;
        }

        @Override
        public String description() {
            return "Prometheus request retries";
        }
    }

    /** Notes that came with range-query answers: partial-answer warnings and PromQL annotations. */
    public static final class Warnings extends CustomSumMetric {
        @Override
        public String name() {
            return WARNINGS;
        }

        @Override
        public String description() {
            return "Prometheus answer warnings";
        }
    }

    public static final class UnstreamedRemoteReads extends CustomSumMetric {
        @Override
        public String name() {
            return UNSTREAMED;
        }

        @Override
        public String description() {
            return "Prometheus remote reads without streaming";
        }
    }
}
