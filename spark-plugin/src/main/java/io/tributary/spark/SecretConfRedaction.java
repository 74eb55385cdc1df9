package io.tributary.spark;

import io.tributary.athena.AthenaSourceOptions;
import io.tributary.prometheus.PrometheusSourceOptions;
import io.tributary.python.PythonTransformOptions;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;

/**
 * Extends what Spark redacts for the application so that Tributary's secret-bearing confs
 * ({@code spark.tributary.prometheus.password}, {@code .bearerToken}, {@code .header.<Name>},
 * {@code spark.tributary.athena.accessKeyId}, {@code .secretAccessKey}, {@code .sessionToken} and
 * {@code spark.tributary.python.conf.<key>}) never show, wherever they were set; likewise the same read options where
 * Spark prints a source's options (streaming plans).
 *
 * <p>Spark redacts with three regexes, all read from the application's SparkConf (sessions copy it when they start):
 * {@code spark.redaction.regex} matches conf keys (and values such as a spark-submit command line) on the
 * environment page, in the event log's environment and in a SQL execution's modified confs;
 * {@code spark.redaction.string.regex} (or {@code spark.sql.redaction.string.regex} when set) matches parts of plan
 * strings and SQL text, where {@code SET key=value} shows its value. Tributary's patterns are appended to the ones
 * configured, never in their place.
 */
final class SecretConfRedaction {
    static final String SECRET_REGEX_CONF = "spark.redaction.regex";
    static final String STRING_REGEX_CONF = "spark.redaction.string.regex";
    static final String SQL_STRING_REGEX_CONF = "spark.sql.redaction.string.regex";
    /** Spark's own replacement text, so redacted Tributary values look like every other redacted value. */
    static final String REDACTED = "*********(redacted)";

    /** Up to 256 characters of a header name or script conf key: a look-behind needs a bounded length. */
    private static final String NAME = "[^\\s=,]{1,256}";

    /** Tributary's secret-bearing conf keys, in any case (the Athena prefix is read case-insensitively). */
    static final String SECRET_CONF_KEYS = "(?i:" + Pattern.quote("spark.tributary.") + "(?:"
            + Pattern.quote("prometheus.") + "(?:" + Pattern.quote(PrometheusSourceOptions.PASSWORD) + "|"
            + Pattern.quote(PrometheusSourceOptions.BEARER_TOKEN) + "|"
            + Pattern.quote(PrometheusSourceOptions.HEADER_PREFIX) + NAME + ")"
            + "|" + Pattern.quote("athena.") + "(?:" + Pattern.quote(AthenaSourceOptions.ACCESS_KEY_ID) + "|"
            + Pattern.quote(AthenaSourceOptions.SECRET_ACCESS_KEY) + "|"
            + Pattern.quote(AthenaSourceOptions.SESSION_TOKEN)
            + ")"
            + "|" + Pattern.quote(PythonTransformOptions.SCRIPT_CONF_PREFIX.substring("spark.tributary.".length()))
            + NAME + "))";

    /**
     * The same options as read options, whole keys only: streaming plans print a source's options map, which Spark
     * redacts with {@code spark.redaction.regex}.
     */
    static final String SECRET_OPTION_KEYS = "(?i:^(?:" + Pattern.quote(PrometheusSourceOptions.PASSWORD) + "|"
            + Pattern.quote(PrometheusSourceOptions.BEARER_TOKEN) + "|"
            + Pattern.quote(PrometheusSourceOptions.HEADER_PREFIX)
            + ".+|" + Pattern.quote(AthenaSourceOptions.ACCESS_KEY_ID) + "|"
            + Pattern.quote(AthenaSourceOptions.SECRET_ACCESS_KEY) + "|"
            + Pattern.quote(AthenaSourceOptions.SESSION_TOKEN)
            + ")$)";

    /** What Tributary adds to {@code spark.redaction.regex}. */
    static final String SECRET_KEYS = SECRET_CONF_KEYS + "|" + SECRET_OPTION_KEYS;

    /**
     * The value after one of those keys in text: {@code SET key=value} (SQL text) and {@code SetCommand
     * (key,Some(value))} (plans). Everything after the key to the end of the line goes, as the value's end cannot be
     * told from its content.
     */
    static final String SECRET_VALUES = "(?<=" + SECRET_CONF_KEYS + "(?:,Some\\(|\\s{0,8}=))[^\\n]+";

    private SecretConfRedaction() {}

    /**
     * Appends Tributary's patterns to the application's redaction regexes in {@code conf} (the SparkContext's own
     * conf). Sessions created afterwards copy them; Spark's UI and event log read them from {@code conf}.
     */
    static void install(SparkConf conf) {
        conf.set(SECRET_REGEX_CONF, extend(conf.get(SECRET_REGEX_CONF, sparkDefaultSecretRegex()), SECRET_KEYS));
        conf.set(STRING_REGEX_CONF, extend(conf.get(STRING_REGEX_CONF, null), SECRET_VALUES));
        if (conf.contains(SQL_STRING_REGEX_CONF)) {
            conf.set(SQL_STRING_REGEX_CONF, extend(conf.get(SQL_STRING_REGEX_CONF), SECRET_VALUES));
        }
    }

    /** {@code configured} or {@code ours}, as one regex; unchanged when it already has {@code ours}. */
    static String extend(String configured, String ours) {
        if (configured == null || configured.isEmpty()) {
            return ours;
        }
        if (configured.contains(ours)) {
            return configured;
        }
        // The group keeps an inline flag of the configured regex, such as Spark's leading (?i), to its own part.
        return "(?:" + configured + ")|" + ours;
    }

    /**
     * Replaces the value of every property whose key {@code secretKeys} finds (Spark's rule for confs). Spark redacts
     * a job's properties in the event log only where the key is also in the SparkConf, so session confs set later
     * (SQL {@code SET}, {@code spark.conf.set}) would be written in clear.
     */
    static void redact(Properties properties, Pattern secretKeys) {
        if (properties == null) {
            return;
        }
        for (String key : properties.stringPropertyNames()) {
            if (secretKeys.matcher(key).find()) {
                properties.setProperty(key, REDACTED);
            }
        }
    }

    /** Spark's default {@code spark.redaction.regex}, kept when Tributary's part is appended. */
    static String sparkDefaultSecretRegex() {
        return org.apache
                .spark
                .internal
                .config
                .package$
                .MODULE$
                .SECRET_REDACTION_PATTERN()
                .defaultValueString();
    }
}
