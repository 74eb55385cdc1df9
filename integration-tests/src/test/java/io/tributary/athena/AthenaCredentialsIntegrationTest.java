package io.tributary.athena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.testing.CauseMessages;
import io.tributary.testing.athena.AthenaEmulator;
import io.tributary.testing.athena.S3Server;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.execution.ExtendedMode$;
import org.junit.jupiter.api.Test;

/**
 * Credentials from a named profile and from the SDK's default provider chain, resolved by the real (relocated) SDK
 * in the plugin jar; S3Proxy checks every request's signature, so wrong keys fail the csv read.
 */
class AthenaCredentialsIntegrationTest {
    private static final String QUERY = "SELECT id, s FROM types ORDER BY id";

    /** The emulator's options without the static keys, reading the result CSV from S3 (signed requests). */
    private static DataFrameReader readWithoutKeys() throws Exception {
        AthenaEmulator athena = SharedAthena.athena();
        Map<String, String> options = new LinkedHashMap<>(SharedAthena.options(athena));
        options.remove("accessKeyId");
        options.remove("secretAccessKey");
        return SharedAthena.spark()
                .read()
                .format("athena")
                .options(options)
                .option("fetchMode", "csv")
                .option("query", QUERY);
    }

    /** Runs {@code body} with JVM system properties set (the SDK reads them at resolve time), then restores them. */
    private static void withSystemProperties(Map<String, String> properties, ThrowingRunnable body) throws Exception {
        Map<String, String> previous = new HashMap<>();
        properties.forEach((key, value) -> previous.put(key, System.setProperty(key, value)));
        try {
            body.run();
        } finally {
            previous.forEach((key, value) -> {
                if (value == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, value);
                }
            });
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aNamedProfileFromTheSharedCredentialsFile() throws Exception {
        Path dir = Files.createTempDirectory("aws-profile");
        Path credentials = Files.writeString(
                dir.resolve("credentials"),
                "[default]\naws_access_key_id = wrong\n"
                        + "aws_secret_access_key = wrong\n\n[tributary-test]\naws_access_key_id = "
                        + S3Server.ACCESS_KEY
                        + "\naws_secret_access_key = " + S3Server.SECRET_KEY + "\n");
        Path config = Files.writeString(dir.resolve("config"), "");
        withSystemProperties(
                Map.of("aws.sharedCredentialsFile", credentials.toString(), "aws.configFile", config.toString()),
                () -> {
                    assertEquals(
                            4,
                            readWithoutKeys()
                                    .option("profile", "tributary-test")
                                    .load()
                                    .collectAsList()
                                    .size());

                    Exception missing = assertThrows(
                            Exception.class,
                            () -> readWithoutKeys()
                                    .option("profile", "no-such-profile")
                                    .load()
                                    .collectAsList());
                    assertTrue(CauseMessages.of(missing).contains("no-such-profile"), CauseMessages.of(missing));
                });
    }

    @Test
    void theDefaultProviderChainReadsJvmSystemProperties() throws Exception {
        withSystemProperties(
                Map.of("aws.accessKeyId", S3Server.ACCESS_KEY, "aws.secretAccessKey", S3Server.SECRET_KEY), () -> {
                    String plan = readWithoutKeys().load().queryExecution().explainString(ExtendedMode$.MODULE$);
                    assertFalse(plan.contains(S3Server.SECRET_KEY), "no secret in the plan");
                    assertEquals(4, readWithoutKeys().load().collectAsList().size());
                });
    }
}
