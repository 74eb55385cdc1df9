package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SecretConfRedactionTest {
    private static final String SPARK_DEFAULT = "(?i)secret|password|token|access[.]?key";

    /** What Spark does with a string redaction regex (Utils.redact: replaceAllIn with the fixed text). */
    private static String redactText(SparkConf conf, String text) {
        return Pattern.compile(conf.get(SecretConfRedaction.STRING_REGEX_CONF))
                .matcher(text)
                .replaceAll(Matcher.quoteReplacement(SecretConfRedaction.REDACTED));
    }

    private static boolean keyIsSecret(SparkConf conf, String key) {
        return Pattern.compile(conf.get(SecretConfRedaction.SECRET_REGEX_CONF))
                .matcher(key)
                .find();
    }

    @Test
    void extendsSparksDefaultsOnceAndKeepsWhatTheyMatch() {
        SparkConf conf = new SparkConf(false);
        SecretConfRedaction.install(conf);
        SecretConfRedaction.install(conf);
        assertEquals(SPARK_DEFAULT, SecretConfRedaction.sparkDefaultSecretRegex());
        assertEquals(
                "(?:" + SPARK_DEFAULT + ")|" + SecretConfRedaction.SECRET_KEYS,
                conf.get(SecretConfRedaction.SECRET_REGEX_CONF));
        assertEquals(SecretConfRedaction.SECRET_VALUES, conf.get(SecretConfRedaction.STRING_REGEX_CONF));
        assertFalse(conf.contains(SecretConfRedaction.SQL_STRING_REGEX_CONF), "left to fall back to the core conf");
        assertTrue(keyIsSecret(conf, "spark.hadoop.fs.s3a.secret.key"), "Spark's own default still applies");
    }

    @Test
    void extendsTheUsersOwnRegexes() {
        SparkConf conf = new SparkConf(false)
                .set(SecretConfRedaction.SECRET_REGEX_CONF, "(?i)credential")
                .set(SecretConfRedaction.STRING_REGEX_CONF, "hunter2")
                .set(SecretConfRedaction.SQL_STRING_REGEX_CONF, "(?i)jdbc:[^ ]+");
        SecretConfRedaction.install(conf);
        assertEquals(
                "(?:(?i)credential)|" + SecretConfRedaction.SECRET_KEYS,
                conf.get(SecretConfRedaction.SECRET_REGEX_CONF));
        assertEquals(
                "(?:hunter2)|" + SecretConfRedaction.SECRET_VALUES, conf.get(SecretConfRedaction.STRING_REGEX_CONF));
        assertEquals(
                "(?:(?i)jdbc:[^ ]+)|" + SecretConfRedaction.SECRET_VALUES,
                conf.get(SecretConfRedaction.SQL_STRING_REGEX_CONF));
        assertTrue(keyIsSecret(conf, "spark.my.Credential"));
        assertFalse(keyIsSecret(conf, "spark.my.password"), "the user's regex replaced Spark's default; so be it");
        assertEquals("pw *********(redacted) and *********(redacted)", redactText(conf, "pw hunter2 and hunter2"));
    }

    @Test
    void everySecretBearingKeyAndNoOther() {
        SparkConf conf = new SparkConf(false).set(SecretConfRedaction.SECRET_REGEX_CONF, "(?i)nothing-of-ours");
        SecretConfRedaction.install(conf);
        for (String key : new String[] {
            "spark.tributary.prometheus.password",
            "spark.tributary.prometheus.bearerToken",
            "spark.tributary.prometheus.header.X-Scope-OrgID",
            "spark.tributary.prometheus.header.Authorization",
            "spark.tributary.athena.accessKeyId",
            "spark.tributary.athena.secretAccessKey",
            "spark.tributary.athena.sessionToken",
            "spark.tributary.ATHENA.SECRETACCESSKEY",
            "spark.tributary.python.conf.apiToken",
            "spark.tributary.python.conf.db"
        }) {
            assertTrue(keyIsSecret(conf, key), key);
        }
        for (String option : new String[] {
            "password",
            "bearerToken",
            "header.X-Scope-OrgID",
            "accessKeyId",
            "secretAccessKey",
            "sessionToken",
            "SESSIONTOKEN"
        }) {
            assertTrue(keyIsSecret(conf, option), "the read option " + option);
        }
        for (String option : new String[] {"url", "user", "header", "headers.x", "bearerTokenFile", "x.password"}) {
            assertFalse(keyIsSecret(conf, option), "the read option " + option);
        }
        for (String key : new String[] {
            "spark.tributary.prometheus.url",
            "spark.tributary.prometheus.user",
            "spark.tributary.prometheus.headers",
            "spark.tributary.athena.region",
            "spark.tributary.athena.profile",
            "spark.tributary.python.executable",
            "spark.tributary.python.transform.add_one.code",
            "spark.tributary.metrics.port"
        }) {
            assertFalse(keyIsSecret(conf, key), key);
        }
    }

    @Test
    void valuesInSetStatementsAndSetCommandPlans() {
        SparkConf conf = new SparkConf(false);
        SecretConfRedaction.install(conf);
        assertEquals(
                "SET spark.tributary.athena.secretAccessKey=*********(redacted)",
                redactText(conf, "SET spark.tributary.athena.secretAccessKey=wJalr/K7+MDENG=="));
        assertEquals(
                "set spark.tributary.prometheus.header.X-Scope-OrgID =*********(redacted)\nSELECT 1",
                redactText(conf, "set spark.tributary.prometheus.header.X-Scope-OrgID = tenant 7\nSELECT 1"));
        assertEquals(
                "== Physical Plan ==\nExecute SetCommand\n   +- SetCommand (spark.tributary.python.conf.apiToken,"
                        + "Some(*********(redacted)\n",
                redactText(
                        conf,
                        "== Physical Plan ==\nExecute SetCommand\n   +- SetCommand (spark.tributary.python.conf"
                                + ".apiToken,Some(t0k3n))\n"));
        String plain = "SetCommand (spark.tributary.prometheus.url,Some(http://127.0.0.1:9090))";
        assertEquals(plain, redactText(conf, plain));
    }

    @Test
    void jobPropertiesWhoseKeysMatch() {
        Properties properties = new Properties();
        properties.setProperty("spark.tributary.prometheus.bearerToken", "t0k3n");
        properties.setProperty("spark.tributary.prometheus.url", "http://127.0.0.1:9090");
        properties.setProperty("spark.job.description", "a password-free description");
        SparkConf conf = new SparkConf(false);
        SecretConfRedaction.install(conf);
        SecretConfRedaction.redact(properties, Pattern.compile(conf.get(SecretConfRedaction.SECRET_REGEX_CONF)));
        assertEquals(SecretConfRedaction.REDACTED, properties.getProperty("spark.tributary.prometheus.bearerToken"));
        assertEquals("http://127.0.0.1:9090", properties.getProperty("spark.tributary.prometheus.url"));
        assertEquals(
                "a password-free description",
                properties.getProperty("spark.job.description"),
                "only keys are matched here, so descriptions stay");
    }
}
