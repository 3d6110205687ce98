package io.conpaas.iaas.ec2;

import io.conpaas.iaas.CloudException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Maps AWS SDK exceptions to CloudExceptions: reason is the EC2 error code, retryable is true
 * for throttling, capacity shortages, server errors and unreachable endpoints, false for
 * authentication, permissions and invalid parameters. Messages are scrubbed of credentials.
 */
final class Ec2Errors {
  /** The reason for a client token that EC2 will not accept again; the caller must record a new one. */
  static final String TOKEN_SPENT = "TokenSpent";
  static final String ENDPOINT_UNREACHABLE = "EndpointUnreachable";
  static final int MAX_MESSAGE = 1024;

  private static final Set<String> TOKEN_SPENT_CODES =
      Set.of("IdempotentParameterMismatch", "IdempotentInstanceTerminated");
  private static final Set<String> RETRYABLE_CODES = Set.of(
      "InsufficientInstanceCapacity", "InsufficientHostCapacity", "InsufficientCapacity",
      "InsufficientReservedInstanceCapacity", "InsufficientAddressCapacity",
      "InsufficientCapacityOnHost", "InternalError", "InternalFailure", "ServiceUnavailable",
      "Unavailable", "RequestTimeout", "RequestLimitExceeded", "Throttling");
  private static final Set<String> GONE_CODES =
      Set.of("InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed");

  private final List<String> secrets;

  /** secrets: strings never to appear in a message (the credentials), nulls ignored. */
  Ec2Errors(String... secrets) {
    this.secrets = Arrays.stream(secrets).filter(Objects::nonNull).filter(s -> !s.isEmpty()).toList();
  }

  /** The CloudException for a failed call of the named EC2 operation. */
  CloudException map(String operation, SdkException e) {
    if (e instanceof AwsServiceException aws) {
      String code = code(aws);
      String detail = aws.awsErrorDetails() == null || aws.awsErrorDetails().errorMessage() == null
          ? aws.getMessage() : aws.awsErrorDetails().errorMessage();
      String message = "EC2 " + operation + " failed: " + code + ": " + detail
          + (aws.requestId() == null ? "" : " (request id " + aws.requestId() + ")");
      if (TOKEN_SPENT_CODES.contains(code)) {
        return new CloudException(TOKEN_SPENT, scrub(message), false, aws);
      }
      return new CloudException(code, scrub(message), retryable(aws, code), aws);
    }
    if (e instanceof SdkClientException) {
      return new CloudException(ENDPOINT_UNREACHABLE,
          scrub("EC2 " + operation + " did not get an answer: " + e.getMessage()), true, e);
    }
    return new CloudException("CloudError", scrub("EC2 " + operation + " failed: " + e.getMessage()), true, e);
  }

  /**
   * The EC2 error code. Without one (an error body the SDK's EC2 parser cannot read, as moto
   * sends when it enforces IAM), the HTTP status stands in: EC2 answers 401 only for
   * AuthFailure and 403 for UnauthorizedOperation; anything else becomes Http&lt;status&gt;.
   */
  static String code(AwsServiceException e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if (code != null && !code.isBlank()) {
      return code;
    }
    return switch (e.statusCode()) {
      case 401 -> "AuthFailure";
      case 403 -> "UnauthorizedOperation";
      default -> "Http" + e.statusCode();
    };
  }

  /** Whether the error says the instance id names nothing (any more). */
  static boolean isGone(AwsServiceException e) {
    return GONE_CODES.contains(code(e));
  }

  private static boolean retryable(AwsServiceException e, String code) {
    return e.isThrottlingException() || RETRYABLE_CODES.contains(code) || e.statusCode() >= 500;
  }

  /** Without credentials, and short enough for a status condition (EC2 may list 1000 ids). */
  private String scrub(String message) {
    String result = message == null ? "" : message;
    for (String secret : secrets) {
      result = result.replace(secret, "<redacted>");
    }
    return result.length() <= MAX_MESSAGE ? result : result.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
