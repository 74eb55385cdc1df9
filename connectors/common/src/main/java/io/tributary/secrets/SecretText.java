package io.tributary.secrets;

/**
 * Checks secret option values (tokens, keys, header values) against the grammar of the HTTP header they travel in,
 * before an HTTP library sees them: the JDK's own check quotes the offending header value, secret and all, in its
 * exception. Messages name the option (the {@code subject}) and what is allowed, never the value.
 *
 * <pre>{@code
 * SecretText.requireToken("Option 'bearerToken'", token);
 * // IllegalArgumentException: Option 'bearerToken' must be visible ASCII characters (no spaces, no control
 * // characters); its value is not shown
 * }</pre>
 */
public final class SecretText {
    private SecretText() {}

    /**
     * A credential sent as one header word (a bearer token, an AWS key or session token): visible ASCII only
     * ({@code 0x21-0x7E}), at least one character.
     */
    public static void requireToken(String subject, String value) {
        boolean valid = !value.isEmpty();
        for (int i = 0; valid && i < value.length(); i++) {
            char c = value.charAt(i);
            valid = c >= 0x21 && c <= 0x7E;
        }
        if (!valid) {
            throw new IllegalArgumentException(subject + " must be visible ASCII characters (no spaces, no control"
                    + " characters); its value is not shown");
        }
    }

    /**
     * A whole header value (RFC 9110 field-value, already trimmed): visible ASCII, spaces and tabs, no control
     * characters (non-ASCII bytes are obsolete in headers and refused too).
     */
    public static void requireFieldValue(String subject, String value) {
        boolean valid = true;
        for (int i = 0; valid && i < value.length(); i++) {
            char c = value.charAt(i);
            valid = (c >= 0x20 && c <= 0x7E) || c == '\t';
        }
        if (!valid) {
            throw new IllegalArgumentException(subject + " must be an HTTP header value: visible ASCII characters,"
                    + " spaces and tabs, no control characters; its value is not shown");
        }
    }
}
