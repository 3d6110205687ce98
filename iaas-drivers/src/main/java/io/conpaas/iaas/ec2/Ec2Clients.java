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
   * The SDK's adaptive strategy: like the standard one (it knows EC2's throttling codes such as
   * RequestLimitExceeded and retries 5xx and I/O errors, with exponential backoff and full
   * jitter) plus a client-side rate limiter that learns the account's request rate from
   * throttling answers, so many concurrent creates stop colliding on the limit. A driver (and its
   * client) serves one Cloud, which is the case the adaptive strategy is meant for.
   */
  static RetryStrategy retryStrategy(int maxAttempts) {
    return AwsRetryStrategy.adaptiveRetryStrategy().toBuilder()
        .maxAttempts(maxAttempts)
        .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(100), Duration.ofSeconds(5)))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(10)))
        .build();
  }
}
