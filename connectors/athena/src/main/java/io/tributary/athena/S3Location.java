package io.tributary.athena;

import java.io.Serializable;

/** An {@code s3://bucket/key} address. */
record S3Location(String bucket, String key) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Parses {@code s3://bucket[/key]}; errors name the option the address came from. */
    static S3Location parse(String option, String uri) {
        if (uri == null || !uri.startsWith("s3://") || uri.length() <= "s3://".length()) {
            throw new IllegalArgumentException(
                    "Option '" + option + "' must be an S3 address like s3://bucket/prefix/, got '" + uri + "'");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("Option '" + option + "' names bucket '" + bucket
                    + "', which is not a valid S3 bucket name (3-63 characters: a-z, 0-9, '.', '-')");
        }
        return new S3Location(bucket, key);
    }

    /** This location as a directory: the key ends with '/' unless it is the bucket root. */
    S3Location asPrefix() {
        return key.isEmpty() || key.endsWith("/") ? this : new S3Location(bucket, key + "/");
    }

    S3Location resolve(String child) {
        return new S3Location(bucket, asPrefix().key + child);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
