package io.tributary.serving;

/**
 * A request for a served partition was refused: unknown or expired reference, wrong secret, or already fetched. The
 * message names the partition and the serving, never the secret.
 */
public final class PartitionAccessException extends Exception {
    private static final long serialVersionUID = 1L;

    public PartitionAccessException(String message) {
        super(message);
    }
}
