package io.tributary.prometheus.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * One JDK {@link HttpClient} per distinct TLS setup per JVM: a client owns a selector thread and a connection
 * pool, so every partition reader of an executor shares it instead of building its own.
 */
final class HttpClientCache {
    private static final Map<Key, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    private HttpClientCache() {}

    static HttpClient forConnection(PrometheusConnection connection) {
        Key key = new Key(connection.tlsCaFile(), connection.tlsInsecure(), connection.timeout());
        return CLIENTS.computeIfAbsent(key, HttpClientCache::build);
    }

    private static HttpClient build(Key key) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(
                        key.timeout.compareTo(Duration.ofSeconds(30)) < 0 ? key.timeout : Duration.ofSeconds(30))
                // PrometheusHttpClient follows redirects itself, within the origin of 'url' only (SameOriginRedirect).
                .followRedirects(HttpClient.Redirect.NEVER);
        if (key.tlsInsecure || key.tlsCaFile != null) {
            builder.sslContext(sslContext(key));
        }
        return builder.build();
    }

    private static SSLContext sslContext(Key key) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManager[] trust = key.tlsInsecure
                    ? new TrustManager[] {new TrustEverything()}
                    : trustManagersFor(Path.of(key.tlsCaFile));
            context.init(null, trust, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(
                    "Option '" + PrometheusConnection.TLS_CA_FILE + "' (" + key.tlsCaFile
                            + ") could not be loaded as PEM certificates: " + e.getMessage(),
                    e);
        }
    }

    private static TrustManager[] trustManagersFor(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in the file");
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }

    /**
     * tlsInsecure=true: accepts any certificate. Being an X509ExtendedTrustManager, it also skips the host name
     * check, which JSSE performs inside the trust manager.
     */
    private static final class TrustEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static final class Key {
        final String tlsCaFile;
        final boolean tlsInsecure;
        final Duration timeout;

        Key(String tlsCaFile, boolean tlsInsecure, Duration timeout) {
            this.tlsCaFile = tlsCaFile;
            this.tlsInsecure = tlsInsecure;
            this.timeout = timeout;
        }

        @Override
        public boolean equals(Object other) {
            if (!(other instanceof Key)) {
                return false;
            }
            Key that = (Key) other;
            return tlsInsecure == that.tlsInsecure
                    && Objects.equals(tlsCaFile, that.tlsCaFile)
                    && timeout.equals(that.timeout);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tlsCaFile, tlsInsecure, timeout);
        }
    }
}
