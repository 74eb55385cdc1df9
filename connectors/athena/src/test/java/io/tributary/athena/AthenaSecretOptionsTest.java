package io.tributary.athena;

import static io.tributary.secrets.SecretAssertions.assertNotShown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Errors about Athena's secret options name the option and never show its value. */
class AthenaSecretOptionsTest {
    private static IllegalArgumentException refused(String... pairs) {
        Map<String, String> options = new HashMap<>();
        options.put("query", "SELECT 1");
        for (int i = 0; i < pairs.length; i += 2) {
            options.put(pairs[i], pairs[i + 1]);
        }
        return assertThrows(IllegalArgumentException.class, () -> AthenaSourceOptions.from(options));
    }

    @Test
    void keysWithControlCharactersAreRefusedByName() {
        String[][] cases = {
            {"accessKeyId", "AKIA-s3cret\u0001X", "secretAccessKey", "wJalrXUtnFEMI"},
            {"accessKeyId", "AKIAEXAMPLE", "secretAccessKey", "wJalr-s3cret\u0000K7"},
            {"accessKeyId", "AKIAEXAMPLE", "secretAccessKey", "wJalrXUtnFEMI", "sessionToken", "FQo-s3cret\r\nX: 1"},
        };
        String[] faulty = {"accessKeyId", "secretAccessKey", "sessionToken"};
        for (int i = 0; i < cases.length; i++) {
            IllegalArgumentException error = refused(cases[i]);
            assertEquals(
                    "Option '" + faulty[i] + "' must be visible ASCII characters (no spaces, no control"
                            + " characters); its value is not shown",
                    error.getMessage());
            assertNotShown("s3cret", error);
        }
    }

    @Test
    void endpointsCarryingCredentialsAreRefusedWithoutTheirValue() {
        for (String option : new String[] {"endpoint", "s3Endpoint"}) {
            IllegalArgumentException error = refused(option, "http://AKIA:wJalr/s3cret@127.0.0.1:9000");
            assertEquals(
                    "Option '" + option + "' must not carry credentials (it holds an '@'): use the options"
                            + " 'accessKeyId' and 'secretAccessKey', or 'profile'. Its value is not shown",
                    error.getMessage());
            assertNotShown("s3cret", error);
        }
    }
}
