package io.tributary.serving;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a client presents to fetch one served partition: the serving's id, the partition's index and the serving's
 * secret. {@link #toString()} leaves the secret out, so a ticket can be logged or put in an exception.
 */
public record PartitionTicket(String servingId, int partition, String secret) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public PartitionTicket {
        Objects.requireNonNull(servingId, "servingId");
        Objects.requireNonNull(secret, "secret");
    }

    /** A new random secret: 32 bytes from SecureRandom, as 64 hex digits. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A new random serving id: 16 hex digits (not a secret; it names a serving in logs and errors). */
    public static String newServingId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The SHA-256 of a secret: what the registry keeps instead of the secret itself. */
    public static byte[] secretHash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Names the partition for logs and errors, without the secret. */
    public String describe() {
        return "partition " + partition + " of serving " + servingId;
    }

    @Override
    public String toString() {
        return "PartitionTicket[" + describe() + "]";
    }
}
