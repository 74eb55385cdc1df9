package io.tributary.spark;

import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;

/**
 * Runs first on the event log's listener queue and redacts the properties of job and stage starts before the event
 * log writes them. A SQL query's jobs carry every session conf as a property, and Spark's event log redacts only
 * those whose key is also in the SparkConf; this listener applies the application's {@code spark.redaction.regex}
 * (Tributary's keys included) to the others too. The events' properties are copies made for the listeners, so the
 * jobs themselves keep their values.
 */
final class JobPropertiesRedaction extends SparkListener {
    private final SparkConf conf;
    private String regex;
    private Pattern secretKeys;

    JobPropertiesRedaction(SparkConf conf) {
        this.conf = conf;
    }

    @Override
    public void onJobStart(SparkListenerJobStart jobStart) {
        SecretConfRedaction.redact(jobStart.properties(), secretKeys());
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted stageSubmitted) {
        SecretConfRedaction.redact(stageSubmitted.properties(), secretKeys());
    }

    /** The conf's current regex (one queue thread calls this, so the cache needs no lock). */
    private Pattern secretKeys() {
        String current = conf.get(SecretConfRedaction.SECRET_REGEX_CONF, SecretConfRedaction.sparkDefaultSecretRegex());
        if (!current.equals(regex)) {
            secretKeys = Pattern.compile(current);
            regex = current;
        }
        return secretKeys;
    }
}
