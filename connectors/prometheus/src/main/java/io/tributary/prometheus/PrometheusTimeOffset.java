package io.tributary.prometheus;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tributary.prometheus.client.PrometheusDuration;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * A streaming offset: a time on the stream's grid (every point before it has been read), with the grid's step so
 * that a restart with another {@code step} is caught instead of misreading the checkpoint. Serialised in the
 * checkpoint as {@code {"timestampMillis":1672531200000,"stepMillis":15000}}; Spark compares offsets by that text.
 */
final class PrometheusTimeOffset extends Offset {
    private static final JsonFactory JSON = new JsonFactory();

    private final long timestampMillis;
    private final long stepMillis;

    PrometheusTimeOffset(long timestampMillis, long stepMillis) {
        this.timestampMillis = timestampMillis;
        this.stepMillis = stepMillis;
    }

    long timestampMillis() {
        return timestampMillis;
    }

    long stepMillis() {
        return stepMillis;
    }

    @Override
    public String json() {
        return "{\"timestampMillis\":" + timestampMillis + ",\"stepMillis\":" + stepMillis + "}";
    }

    @Override
    public String toString() {
        return Instant.ofEpochMilli(timestampMillis) + " (step "
                + PrometheusDuration.format(Duration.ofMillis(stepMillis)) + ")";
    }

    /**
     * Reads an offset from a checkpoint written with step {@code expectedStepMillis}.
     *
     * @throws IllegalArgumentException if the text is no offset of this source, or the checkpoint was written with
     *     another step (its offsets would not lie on the new grid, and its table holds the old step's points)
     */
    static PrometheusTimeOffset fromJson(String json, long expectedStepMillis) {
        Long timestamp = null;
        Long step = null;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notAnOffset(json);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw notAnOffset(json);
                }
                if (field.equals("timestampMillis")) {
                    timestamp = parser.getLongValue();
                } else if (field.equals("stepMillis")) {
                    step = parser.getLongValue();
                } else {
                    throw notAnOffset(json);
                }
            }
        } catch (IOException e) {
            throw notAnOffset(json);
        }
        if (timestamp == null || step == null || step <= 0) {
            throw notAnOffset(json);
        }
        if (step != expectedStepMillis) {
            throw new IllegalArgumentException("The checkpoint's offsets are on a grid of step "
                    + PrometheusDuration.format(Duration.ofMillis(step)) + ", but option '"
                    + PrometheusSourceOptions.STEP
                    + "' is now " + PrometheusDuration.format(Duration.ofMillis(expectedStepMillis))
                    + "; a checkpoint keeps its step: set step=" + PrometheusDuration.format(Duration.ofMillis(step))
                    + " again, or start the query with a new checkpoint location");
        }
        if (Math.floorMod(timestamp, step) != 0) {
            throw notAnOffset(json);
        }
        return new PrometheusTimeOffset(timestamp, step);
    }

    private static IllegalArgumentException notAnOffset(String json) {
        return new IllegalArgumentException("Not an offset of the prometheus stream source: '" + json
                + "'; expected {\"timestampMillis\":<multiple of stepMillis>,\"stepMillis\":<positive>}");
    }
}
