package io.tributary.athena;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the SDK clients an options object describes, on the driver and on executors alike. */
final class AthenaClientFactory {
  private AthenaClientFactory() {
  }

  static AthenaClient athena(AthenaSourceOptions options) {
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
    var builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .credentialsProvider(credentials(options))
        .forcePathStyle(options.s3PathStyle())
        // Checksums only where S3 requires them: S3-compatible stores behind s3Endpoint often lack the newer ones.
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
      return StaticCredentialsProvider.create(options.sessionToken() == null
          ? AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey())
          : AwsSessionCredentials.create(options.accessKeyId(), options.secretAccessKey(), options.sessionToken()));
    }
    if (options.profile() != null) {
      return ProfileCredentialsProvider.create(options.profile());
    }
    return DefaultCredentialsProvider.builder().build();
  }
}
