package io.tributary.testing.athena;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * S3Proxy's per-request hook used as a service-time model: S3Proxy asks its {@link BlobStoreLocator} for the store
 * (and the credential to check the signature with) exactly once per request, before it reads the store or writes
 * any byte of the answer. Waiting here therefore delays the first byte of every GET, HEAD and LIST by the configured
 * latency, while the request itself still goes through S3Proxy for real. Grants as S3Proxy's own locator does: the
 * one store to the one configured identity, nothing to anyone else.
 */
final class FirstByteDelay implements BlobStoreLocator {
    private final String identity;
    private final String credential;
    private final BlobStore store;
    private final AtomicLong requests = new AtomicLong();
    private volatile long latencyNanos;

    FirstByteDelay(String identity, String credential, BlobStore store) {
        this.identity = identity;
        this.credential = credential;
        this.store = store;
    }

    void latency(Duration latency) {
        latencyNanos = latency.toNanos();
    }

    long requests() {
        return requests.get();
    }

    @Override
    public AccessGrant locateBlobStore(String identityArg, String container, String blob) {
        requests.incrementAndGet();
        ServiceTime.elapse(latencyNanos);
        return identity.equals(identityArg) ? new AccessGrant(credential, store) : null;
    }
}
