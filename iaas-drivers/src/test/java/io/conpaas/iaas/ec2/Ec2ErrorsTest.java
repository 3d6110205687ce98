package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.CloudException;
import java.net.ConnectException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/** Ec2Errors: EC2 error codes to reasons and retryability, without credentials in messages. */
class Ec2ErrorsTest {
  private final Ec2Errors errors = new Ec2Errors("AKIDSECRETKEYID", "s3cr3t/key");

  private static Ec2Exception ec2(String code, int status, String message) {
    return (Ec2Exception) Ec2Exception.builder().statusCode(status).requestId("req-1")
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Ec2").build())
        .build();
  }

  @ParameterizedTest
  @CsvSource({
      "AuthFailure, 401, AuthFailure, false",
      "UnauthorizedOperation, 403, UnauthorizedOperation, false",
      "InvalidAMIID.NotFound, 400, InvalidAMIID.NotFound, false",
      "InvalidParameterValue, 400, InvalidParameterValue, false",
      "InsufficientInstanceCapacity, 500, InsufficientInstanceCapacity, true",
      "InsufficientInstanceCapacity, 400, InsufficientInstanceCapacity, true",
      "RequestLimitExceeded, 503, RequestLimitExceeded, true",
      "RequestLimitExceeded, 400, RequestLimitExceeded, true",
      "Throttling, 400, Throttling, true",
      "InternalError, 500, InternalError, true",
      "Unavailable, 503, Unavailable, true",
      "IdempotentParameterMismatch, 400, TokenSpent, false",
      "IdempotentInstanceTerminated, 400, TokenSpent, false",
  })
  void mapsTheCodeToReasonAndRetryability(String code, int status, String reason, boolean retryable) {
    CloudException e = errors.map("RunInstances", ec2(code, status, "something about it"));

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.retryable()).isEqualTo(retryable);
    assertThat(e.getMessage()).contains("RunInstances").contains(code).contains("something about it");
  }

  @ParameterizedTest
  @CsvSource({"401, AuthFailure, false", "403, UnauthorizedOperation, false", "503, Http503, true",
      "400, Http400, false"})
  void statusStandsInForAMissingCode(int status, String reason, boolean retryable) {
    Ec2Exception unreadable = (Ec2Exception) Ec2Exception.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().serviceName("Ec2").build()).build();

    CloudException e = errors.map("DescribeInstances", unreadable);

    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.retryable()).isEqualTo(retryable);
  }

  @Test
  void noAnswerIsARetryableEndpointUnreachable() {
    SdkClientException io = SdkClientException.builder().message("Unable to execute HTTP request: Connection refused")
        .cause(new ConnectException("Connection refused")).build();

    CloudException e = errors.map("DescribeInstances", io);

    assertThat(e.reason()).isEqualTo("EndpointUnreachable");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void credentialsNeverReachTheMessage() {
    CloudException e = errors.map("DescribeInstances",
        ec2("AuthFailure", 401, "key AKIDSECRETKEYID with secret s3cr3t/key was refused"));

    assertThat(e.getMessage()).doesNotContain("AKIDSECRETKEYID").doesNotContain("s3cr3t/key").contains("<redacted>");
  }

  @Test
  void longMessagesAreCut() {
    CloudException e = errors.map("TerminateInstances", ec2("InvalidInstanceID.NotFound", 400, "x".repeat(50_000)));

    assertThat(e.getMessage()).hasSize(Ec2Errors.MAX_MESSAGE).endsWith("...");
  }

  @Test
  void unknownAndMalformedIdsCountAsGone() {
    assertThat(Ec2Errors.isGone(ec2("InvalidInstanceID.NotFound", 400, "x"))).isTrue();
    assertThat(Ec2Errors.isGone(ec2("InvalidInstanceID.Malformed", 400, "x"))).isTrue();
    assertThat(Ec2Errors.isGone(ec2("UnauthorizedOperation", 403, "x"))).isFalse();
  }
}
