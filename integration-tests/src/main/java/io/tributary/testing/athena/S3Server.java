package io.tributary.testing.athena;

import io.tributary.testing.Await;
import java.net.URI;
import java.time.Duration;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy in-process on loopback with its in-memory ("transient") store. It checks
 * AWS signatures (V2 or V4) against {@link #ACCESS_KEY}/{@link #SECRET_KEY}, so clients must sign for real.
 *
 * <p>Two S3Proxy servers share the one store. {@link #endpoint()} is the Athena side's (the emulator writes result
 * files there, tests inspect them there); {@link #readerEndpoint()} is what readers are given. Every request to the
 * reader endpoint first waits {@link #readerFirstByteLatency(Duration)} (zero unless set) and is counted, so a
 * benchmark can charge each S3 request the reader makes with a real service's first-byte latency without delaying
 * the emulator's own writes.
 */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";

    private final S3Proxy athenaSide;
    private final S3Proxy readerSide;
    private final FirstByteDelay readerDelay;

    private S3Server(S3Proxy athenaSide, S3Proxy readerSide, FirstByteDelay readerDelay) {
        this.athenaSide = athenaSide;
        this.readerSide = readerSide;
        this.readerDelay = readerDelay;
    }

    public static S3Server start() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        BlobStore store = BlobStores.create("transient", properties);
        S3Proxy athenaSide = startProxy(store);
        S3Proxy readerSide = null;
        try {
            readerSide = startProxy(store);
            FirstByteDelay readerDelay = new FirstByteDelay(ACCESS_KEY, SECRET_KEY, store);
            readerSide.setBlobStoreLocator(readerDelay);
            return new S3Server(athenaSide, readerSide, readerDelay);
        } catch (Exception e) {
            stopAll(athenaSide, readerSide);
            throw e;
        }
    }

    private static S3Proxy startProxy(BlobStore store) throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(store)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        Await.until("S3Proxy to start", Duration.ofMinutes(1), () -> "STARTED".equals(proxy.getState()));
        return proxy;
    }

    /** The Athena side: where the emulator writes results. No modelled latency. */
    public URI endpoint() {
        return endpointOf(athenaSide);
    }

    /** What readers are given ({@code s3Endpoint}): the same store, each request delayed and counted. */
    public URI readerEndpoint() {
        return endpointOf(readerSide);
    }

    /**
     * Every later request to {@link #readerEndpoint()} waits {@code latency} before S3Proxy handles it, so the
     * client's first byte comes at least that late. {@link Duration#ZERO} (the default) turns the delay off. Set
     * through {@link AthenaEmulator#serviceTime}, which checks it.
     */
    void readerFirstByteLatency(Duration latency) {
        readerDelay.latency(latency);
    }

    /** Requests the reader endpoint has received (each delayed once), from the start. */
    public long readerRequests() {
        return readerDelay.requests();
    }

    /** A path-style client of the Athena side, with the server's keys. */
    public S3Client client() {
        return client(endpoint());
    }

    /** A path-style client of the reader endpoint, with the server's keys. */
    public S3Client readerClient() {
        return client(readerEndpoint());
    }

    private static S3Client client(URI endpoint) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    public void createBucket(String bucket) {
        try (S3Client s3 = client()) {
            s3.createBucket(r -> r.bucket(bucket));
        }
    }

    private static URI endpointOf(S3Proxy proxy) {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() {
        stopAll(readerSide, athenaSide);
    }

    private static void stopAll(S3Proxy... proxies) {
        IllegalStateException failure = null;
        for (S3Proxy proxy : proxies) {
            try {
                if (proxy != null) {
                    proxy.stop();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("Stopping S3Proxy", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
