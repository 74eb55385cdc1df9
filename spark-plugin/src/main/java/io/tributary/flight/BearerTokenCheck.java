package io.tributary.flight;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.apache.arrow.flight.CallHeaders;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.auth2.CallHeaderAuthenticator;

/**
 * Accepts a call whose {@code authorization} header is {@code Bearer <token>} with the configured token. Both sides
 * are hashed before the constant-time comparison, so neither the token's length nor its content leaks through
 * timing; neither the token nor the header's value is ever logged or put in an error.
 */
final class BearerTokenCheck implements CallHeaderAuthenticator {
    private static final String PREFIX = "Bearer ";
    private final byte[] tokenHash;

    BearerTokenCheck(byte[] token) {
        this.tokenHash = sha256(token);
    }

    @Override
    public AuthResult authenticate(CallHeaders headers) {
        String header = headers.get("authorization");
        if (header == null) {
            throw CallStatus.UNAUTHENTICATED
                    .withDescription("Tributary Flight needs an 'authorization: Bearer "
                            + "<token>' header (the token of " + FlightConf.TOKEN_FILE + ")")
                    .toRuntimeException();
        }
        boolean bearer = header.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
        byte[] presented = sha256((bearer ? header.substring(PREFIX.length()) : "").getBytes(StandardCharsets.UTF_8));
        if (!bearer || !MessageDigest.isEqual(presented, tokenHash)) {
            throw CallStatus.UNAUTHENTICATED
                    .withDescription("Tributary Flight refused the bearer token in the " + "'authorization' header")
                    .toRuntimeException();
        }
        return () -> "bearer";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
