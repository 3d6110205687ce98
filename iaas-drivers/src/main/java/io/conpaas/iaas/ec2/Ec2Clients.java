package io.conpaas.iaas.ec2;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/** Builds the Ec2Client a driver uses: static credentials, small HTTP client, retries with backoff. */
final class Ec2Clients {
  static final int MAX_ATTEMPTS = 8;

  private Ec2Clients() {}

  /** A client builder for the config, with the interceptor (the call counter) registered. */
  static Ec2ClientBuilder builder(Ec2DriverConfig config, ExecutionInterceptor interceptor) {
    return builder(config, interceptor, retryStrategy(MAX_ATTEMPTS));
  }

  static Ec2ClientBuilder builder(Ec2DriverConfig config, ExecutionInterceptor interceptor,
      RetryStrategy retryStrategy) {
    if (config.accessKeyId() == null || config.accessKeyId().isBlank()
        || config.secretAccessKey() == null || config.secretAccessKey().isBlank()) {
      throw new IllegalArgumentException("EC2 credentials (access key id and secret access key) are required");
    }
    Ec2ClientBuilder builder = Ec2Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)))
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey())))
        .region(Region.of(config.region()))
        .overrideConfiguration(o -> o
            .retryStrategy(retryStrategy)
            .addExecutionInterceptor(interceptor)
            // Bounds one driver call, retries and backoff included, so a reconcile never hangs.
            .apiCallTimeout(Duration.ofSeconds(90))
            .apiCallAttemptTimeout(Duration.ofSeconds(30)));
    if (config.endpointOverride() != null) {
      builder.endpointOverride(config.endpointOverride());
    }
    return builder;
  }

  /**
   * The SDK's standard strategy (it knows EC2's throttling codes such as RequestLimitExceeded
   * and retries 5xx and I/O errors) with exponential backoff and full jitter; throttling backs
   * off from a longer base, since EC2 refills its request buckets per second.
   */
  static RetryStrategy retryStrategy(int maxAttempts) {
    return AwsRetryStrategy.standardRetryStrategy().toBuilder()
        .maxAttempts(maxAttempts)
        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(10)))
        .build();
  }
}
