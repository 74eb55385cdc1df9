package io.tributary.prometheus;

import static io.tributary.secrets.SecretAssertions.assertNotShown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tributary.prometheus.client.PrometheusConnection;
import io.tributary.prometheus.client.PrometheusHttpClient;
import io.tributary.prometheus.client.PrometheusReadCounters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Errors about secret options name the option and never show its value, whatever characters it holds. */
class PrometheusSecretOptionsTest {
    private static final String URL_CREDENTIALS = "Option 'url' must not carry credentials (it holds an '@', which"
            + " starts them; write an '@' in a path as %40): use the options 'user' and 'password'. Its value is not shown";

    private static IllegalArgumentException refused(String option, String value) {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put(option, value);
        return assertThrows(IllegalArgumentException.class, () -> PrometheusSourceOptionsTest.parse(options));
    }

    @Test
    void urlCredentialsAreNeverEchoedWhateverThePasswordHolds() {
        // '/' ends the authority for java.net.URI (no host then), '@' twice moves the host, '?' and '#' start a query
        // or fragment: the password must not surface in any of these.
        for (String password : new String[] {"pa/ss-w0rd", "p@ss-w0rd", "p?ss-w0rd", "p#ss-w0rd", "p%zz-w0rd"}) {
            IllegalArgumentException error = refused("url", "http://alice:" + password + "@127.0.0.1:9090/prefix");
            assertEquals(URL_CREDENTIALS, error.getMessage(), password);
            assertNotShown(password, error);
            assertNotShown("alice", error);
        }
    }

    @Test
    void bearerTokensWithControlCharactersAreRefusedByName() {
        IllegalArgumentException error = refused("bearerToken", "t0ken-s3cret\nX-Injected: 1");
        assertEquals(
                "Option 'bearerToken' must be visible ASCII characters (no spaces, no control characters); its"
                        + " value is not shown",
                error.getMessage());
        assertNotShown("t0ken-s3cret", error);
    }

    @Test
    void headerValuesAreCheckedByName() {
        IllegalArgumentException error = refused("header.X-Scope-OrgID", "tenant-s3cret\r\nX-Injected: 1");
        assertEquals(
                "Option 'header.X-Scope-OrgID' must be an HTTP header value: visible ASCII characters, spaces"
                        + " and tabs, no control characters; its value is not shown",
                error.getMessage());
        assertNotShown("tenant-s3cret", error);
    }

    @Test
    void headerNamesMustBeHeaderNamesTheClientAccepts() {
        assertEquals(
                "Option 'header.X Org' does not name an HTTP header: a name is letters, digits and"
                        + " !#$%&'*+-.^_`|~",
                refused("header.X Org", "v").getMessage());
        assertEquals(
                "Option 'header.Host' sets a header the HTTP client manages itself; not allowed: [connection,"
                        + " content-length, expect, host, upgrade]",
                refused("header.Host", "v").getMessage());
    }

    @Test
    void headerValuesAreTrimmed() {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put("header.X-Scope-OrgID", "  tenant-1\t");
        assertEquals(
                Map.of("X-Scope-OrgID", "tenant-1"),
                PrometheusSourceOptionsTest.parse(options).connection().headers());
    }

    private static IllegalArgumentException tokenFileRefused(Path file) {
        Map<String, String> options = PrometheusSourceOptionsTest.base();
        options.put("bearerTokenFile", file.toString());
        PrometheusConnection connection =
                PrometheusSourceOptionsTest.parse(options).connection();
        return assertThrows(
                IllegalArgumentException.class,
                () -> new PrometheusHttpClient(connection, new PrometheusReadCounters()));
    }

    @Test
    void tokenFileContentIsCheckedAndNeverShown(@TempDir Path dir) throws IOException {
        // The shape of /proc/self/environ: NUL-separated variables.
        Path environ = Files.write(
                dir.resolve("environ"),
                "HOME=/root\0AWS_SECRET_ACCESS_KEY=wJalr-s3cret\0PATH=/bin\0".getBytes(StandardCharsets.UTF_8));
        IllegalArgumentException error = tokenFileRefused(environ);
        assertEquals(
                "The content of the file named by option 'bearerTokenFile' (" + environ + ", trimmed) must be"
                        + " visible ASCII characters (no spaces, no control characters); its value is not shown",
                error.getMessage());
        assertNotShown("wJalr-s3cret", error);
        assertNotShown("HOME=", error);
    }

    @Test
    void tokenFilesThatAreNoTokenFilesAreRefused(@TempDir Path dir) throws IOException {
        Path huge = Files.write(dir.resolve("huge"), new byte[64 * 1024 + 1]);
        assertEquals(
                "Option 'bearerTokenFile' names a file larger than 65536 bytes (" + huge + "); it must hold one"
                        + " bearer token",
                tokenFileRefused(huge).getMessage());
        Path missing = dir.resolve("missing");
        assertEquals(
                "Option 'bearerTokenFile' names a file that cannot be read: " + missing
                        + " (java.nio.file.NoSuchFileException)",
                tokenFileRefused(missing).getMessage());
    }
}
