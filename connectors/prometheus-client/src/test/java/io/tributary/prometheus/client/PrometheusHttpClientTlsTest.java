package io.tributary.prometheus.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tlsCaFile and tlsInsecure against a real TLS server with a certificate made by the JDK's keytool. */
class PrometheusHttpClientTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path dir;

    private static HttpsServer server;
    private static Path caFile;

    @BeforeAll
    static void startTlsServer() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        caFile = dir.resolve("ca.pem");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                keytool,
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "changeit");
        run(
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                "changeit",
                "-file",
                caFile.toString());

        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            byte[] body = RangeQueryResponseParserTest.MATRIX.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", List.of(command)) + ": " + output);
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static RangeQueryResponseParser.Response query(Map<String, String> tls) {
        Map<String, String> options = TestConnections.baseOptions();
        options.put("url", "https://127.0.0.1:" + server.getAddress().getPort());
        options.put("maxRetries", "0");
        options.putAll(tls);
        PrometheusConnection connection = TestConnections.fromOptions(options);
        return new PrometheusHttpClient(connection, new PrometheusReadCounters()).queryRange("up", 0, 45_000, 15_000);
    }

    @Test
    void trustsTheGivenCa() {
        assertEquals(5, query(Map.of("tlsCaFile", caFile.toString())).sampleCount());
    }

    @Test
    void refusesAnUnknownCertificateByDefault() {
        PrometheusUnavailableException error =
                assertThrows(PrometheusUnavailableException.class, () -> query(Map.of()));
        assertTrue(
                error.getMessage().contains("PKIX") || error.getMessage().contains("certificat"), error.getMessage());
    }

    @Test
    void insecureTrustsAnything() {
        assertEquals(5, query(Map.of("tlsInsecure", "true")).sampleCount());
    }

    @Test
    void aCaFileThatIsNoCertificateNamesTheOption() throws Exception {
        Path notPem = Files.writeString(dir.resolve("not.pem"), "hello");
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> query(Map.of("tlsCaFile", notPem.toString())));
        assertTrue(
                error.getMessage().startsWith("Option 'tlsCaFile' (" + notPem + ") could not be loaded"),
                error.getMessage());
    }
}
