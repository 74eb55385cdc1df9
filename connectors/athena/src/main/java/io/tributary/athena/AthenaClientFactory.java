package io.tributary.athena;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.signer.AwsSignerExecutionAttribute;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the SDK clients an options object describes, on the driver and on executors alike. */
final class AthenaClientFactory {
    /**
     * The SDK's request signers: at DEBUG they log each canonical request, whose signed headers include
     * {@code x-amz-security-token}. Named after classes, so that in the plugin jar they are the relocated loggers
     * ({@code io.tributary.shaded.awssdk...}).
     */
    private static final String[] SIGNER_LOGGERS = {
        parentPackage(AwsV4HttpSigner.class), // http.auth.aws: the signers in use, internal ones included
        AwsSignerExecutionAttribute.class.getPackageName(), // auth.signer: the older signers
    };

    private AthenaClientFactory() {}

    static AthenaClient athena(AthenaSourceOptions options) {
        capSignerLogging();
        // Throttling is retried by AthenaCallRetrier with the user's maxRetries, so the SDK must not multiply it.
        RetryStrategy noRetries = DefaultRetryStrategy.doNotRetry();
        var builder = AthenaClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentials(options))
                .overrideConfiguration(o -> o.retryStrategy(noRetries));
        if (options.region() != null) {
            builder.region(Region.of(options.region()));
        } else if (options.endpoint() != null) {
            builder.region(Region.US_EAST_1); // signing needs some region; the endpoint decides where requests go
        }
        if (options.endpoint() != null) {
            builder.endpointOverride(options.endpoint());
        }
        return builder.build();
    }

    static S3Client s3(AthenaSourceOptions options) {
        capSignerLogging();
        var builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(credentials(options))
                .forcePathStyle(options.s3PathStyle())
                // Checksums only where S3 requires them: S3-compatible stores behind s3Endpoint often lack the newer
                // ones.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD));
        if (options.region() != null) {
            builder.region(Region.of(options.region()));
        } else if (options.s3Endpoint() != null || options.endpoint() != null) {
            builder.region(Region.US_EAST_1);
        }
        if (options.s3Endpoint() != null) {
            builder.endpointOverride(options.s3Endpoint());
        }
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(AthenaSourceOptions options) {
        if (options.accessKeyId() != null) {
            return StaticCredentialsProvider.create(
                    options.sessionToken() == null
                            ? AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey())
                            : AwsSessionCredentials.create(
                                    options.accessKeyId(), options.secretAccessKey(), options.sessionToken()));
        }
        if (options.profile() != null) {
            return ProfileCredentialsProvider.create(options.profile());
        }
        return DefaultCredentialsProvider.builder().build();
    }

    /**
     * Keeps the signers' loggers at INFO or quieter, whatever the log configuration says, so that no credential
     * reaches a log at DEBUG or TRACE. Done each time a client is built, because a configuration may be changed or
     * reloaded in between. Spark logs through log4j 2; with another logging backend, its own configuration decides.
     */
    static void capSignerLogging() {
        try {
            for (String logger : SIGNER_LOGGERS) {
                if (LogManager.getLogger(logger).getLevel().isLessSpecificThan(Level.DEBUG)) {
                    Configurator.setLevel(logger, Level.INFO);
                }
            }
        } catch (LinkageError noLog4jCore) {
            // log4j-core is not the backend here: nothing of ours to set.
        }
    }

    private static String parentPackage(Class<?> type) {
        String name = type.getPackageName();
        return name.substring(0, name.lastIndexOf('.'));
    }
}
