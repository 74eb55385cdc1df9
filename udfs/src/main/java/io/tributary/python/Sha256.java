package io.tributary.python;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 digests for content names (the unpacked runtime's directory, a script in plans). */
final class Sha256 {
    private Sha256() {}

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // The Java SE specification requires every JVM to provide SHA-256.
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
