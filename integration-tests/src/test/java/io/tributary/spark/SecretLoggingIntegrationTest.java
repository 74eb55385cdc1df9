package io.tributary.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.SparkTestSession;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import java.io.StringWriter;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * With DEBUG logging on for the plugin jar's bundled (relocated) AWS SDK, an Athena read with static session
 * credentials logs the SDK's requests, but neither the secret key nor the session token: the SDK's signers, which
 * log each canonical request with its {@code x-amz-security-token} header at DEBUG, are held at INFO.
 */
class SecretLoggingIntegrationTest {
    private static final String SHADED_SDK = "io.tributary.shaded.awssdk";

    @Test
    void theBundledSdkLogsNoCredentialsAtDebug() throws Exception {
        String secretKey = "secret-key-" + UUID.randomUUID();
        String sessionToken = "session-token-" + UUID.randomUUID();
        // First the session: starting it sets every logger to WARN.
        SparkSession spark = SparkTestSession.get();
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        StringWriter captured = new StringWriter();
        WriterAppender capture = WriterAppender.newBuilder()
                .setName("capture-" + UUID.randomUUID())
                .setTarget(captured)
                .setLayout(
                        PatternLayout.newBuilder().withPattern("%p %c - %m%n").build())
                .build();
        capture.start();
        Level before = LogManager.getLogger(SHADED_SDK).getLevel();
        Configurator.setLevel(SHADED_SDK, Level.DEBUG);
        LoggerConfig sdk = logging.getConfiguration().getLoggerConfig(SHADED_SDK);
        sdk.addAppender(capture, Level.ALL, null);
        logging.updateLoggers();
        try (S3Server s3 = S3Server.start();
                AthenaEmulator athena = AthenaEmulator.start(s3, null)) {
            List<Row> rows = spark.read()
                    .format("athena")
                    .option("endpoint", athena.endpoint().toString())
                    .option("region", "us-east-1")
                    .option("fetchMode", "api")
                    .option("pollInterval", "20ms")
                    .option("accessKeyId", "access-key-" + UUID.randomUUID())
                    .option("secretAccessKey", secretKey)
                    .option("sessionToken", sessionToken)
                    .option("query", "SELECT 42 AS answer")
                    .load()
                    .collectAsList();
            assertEquals(42, rows.get(0).getInt(0));
        } finally {
            sdk.removeAppender(capture.getName());
            Configurator.setLevel(SHADED_SDK, before);
            capture.stop();
        }

        String log = captured.toString();
        assertTrue(
                log.contains("DEBUG " + SHADED_SDK + ".request - Sending Request"),
                "the SDK's DEBUG logging was captured: " + log.substring(0, Math.min(2000, log.length())));
        assertFalse(log.contains(sessionToken), "the session token is logged");
        assertFalse(log.contains(secretKey), "the secret key is logged");
    }
}
