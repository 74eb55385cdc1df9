package io.tributary.athena;

import java.lang.ref.Cleaner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Removes UNLOAD output once nothing can read it any more: when the table that planned it becomes unreachable (its
 * DataFrames are gone) or, at the latest, when the driver JVM exits. Deleting after the first action would break
 * the second action on the same DataFrame.
 */
final class UnloadOutputJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(UnloadOutputJanitor.class);
    private static final Cleaner CLEANER = Cleaner.create();
    private static final Map<S3Location, AthenaSourceOptions> PENDING = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(UnloadOutputJanitor::deleteAll, "tributary-unload-cleanup"));
    }

    private UnloadOutputJanitor() {}

    /** Deletes {@code prefix} when {@code owner} becomes unreachable or the JVM exits. */
    static void deleteWhenUnreachable(Object owner, AthenaSourceOptions options, S3Location prefix) {
        PENDING.put(prefix, options);
        CLEANER.register(owner, () -> delete(prefix));
    }

    static void delete(S3Location prefix) {
        AthenaSourceOptions options = PENDING.remove(prefix);
        if (options == null) {
            return;
        }
        try (S3Client s3 = AthenaClientFactory.s3(options)) {
            UnloadOutput.delete(s3, prefix);
        } catch (RuntimeException e) {
            // Cleanup must never fail a job or the JVM's exit; the prefix is named so the user can remove it.
            LOG.warn("Could not remove UNLOAD output {}: {}", prefix, e.toString());
        }
    }

    static void deleteAll() {
        for (S3Location prefix : PENDING.keySet()) {
            delete(prefix);
        }
    }
}
