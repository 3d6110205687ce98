package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The one error line users see. */
class ErrorMessagesTest {
  @Test
  void forbiddenShowsTheServersOwnReasonOnOneLine() {
    Status status = new StatusBuilder().withCode(403).withReason("Forbidden").withMessage(
        "helloworldservices.conpaas.io \"hw\" is forbidden: User \"bob\" cannot patch resource\n\"helloworldservices\"")
        .build();
    KubernetesClientException e = new KubernetesClientException("Failure executing: PATCH at: https://x/y.", 403,
        status);

    assertThat(ErrorMessages.describe(e)).isEqualTo("forbidden (HTTP 403): helloworldservices.conpaas.io \"hw\" "
        + "is forbidden: User \"bob\" cannot patch resource \"helloworldservices\"");
    assertThat(ErrorMessages.exitCode(e)).isEqualTo(1);
  }

  @Test
  void httpCodesHaveNames() {
    assertThat(ErrorMessages.describe(http(404, "x not found"))).isEqualTo("not found (HTTP 404): x not found");
    assertThat(ErrorMessages.describe(http(409, "moved on"))).isEqualTo("conflict (HTTP 409): moved on");
    assertThat(ErrorMessages.describe(http(422, "bad field"))).isEqualTo("invalid (HTTP 422): bad field");
    assertThat(ErrorMessages.describe(http(500, "boom"))).isEqualTo("server error (HTTP 500): boom");
    assertThat(ErrorMessages.describe(http(401, "x"))).startsWith("unauthorized: ");
  }

  @Test
  void anUnreachableServerIsSaidSoWrappedOrNot() {
    KubernetesClientException e = new KubernetesClientException("Operation: [list] failed.",
        new java.io.IOException("wrapped", new ConnectException("Connection refused")));

    assertThat(ErrorMessages.describe(e)).isEqualTo(
        "cannot reach the API server: Connection refused (check --kubeconfig, --context or KUBECONFIG)");
    KubernetesClientException silent = new KubernetesClientException("Operation: [list] failed.",
        new java.io.IOException(new ConnectException()));
    assertThat(ErrorMessages.describe(silent, "https://127.0.0.1:1/")).isEqualTo("cannot reach the API server at "
        + "https://127.0.0.1:1/: connection refused (check --kubeconfig, --context or KUBECONFIG)");
    KubernetesClientException unresolved = new KubernetesClientException("Operation: [list] failed.",
        new java.io.IOException(new java.nio.channels.UnresolvedAddressException()));
    assertThat(ErrorMessages.describe(unresolved)).startsWith("cannot reach the API server: unknown host");
  }

  @Test
  void cliExceptionsKeepTheirMessageAndExitCode() {
    CliException e = new CliException("bad\nthing", 2);

    assertThat(ErrorMessages.describe(e)).isEqualTo("bad thing");
    assertThat(ErrorMessages.exitCode(e)).isEqualTo(2);
    assertThat(ErrorMessages.describe(new IllegalStateException("oops"))).isEqualTo("IllegalStateException: oops");
  }

  @Test
  void oneLineJoinsLinesAndSqueezesBlanks() {
    assertThat(ErrorMessages.oneLine("  a\n  b\r\n\tc   d ")).isEqualTo("a b c d");
    assertThat(ErrorMessages.oneLine(null)).isEmpty();
  }

  private static KubernetesClientException http(int code, String message) {
    return new KubernetesClientException("Failure executing", code,
        new StatusBuilder().withCode(code).withMessage(message).build());
  }
}
