package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.conpaas.testing.TestNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API server itself rejects bad manifests with messages that name the field. */
class CrdValidationIT {
  @TempDir
  static Path dir;
  static String ns;

  @BeforeAll
  static void namespace() {
    ns = TestNamespace.create(DevCluster.client(), "crd");
  }

  @Test
  void negativeNodeCountIsRejected() throws IOException {
    String out = applyFails(service("neg", "application: app\n  agents: {nodes: -1}"));
    assertThat(out).contains("spec.agents.nodes").contains("greater than or equal to 0");
  }

  @Test
  void tooManyNodesAreRejected() throws IOException {
    String out = applyFails(service("big", "application: app\n  agents: {nodes: 1001}"));
    assertThat(out).contains("spec.agents.nodes").contains("less than or equal to 1000");
  }

  @Test
  void anUnknownRoleIsRejected() throws IOException {
    String out = applyFails(service("role", "application: app\n  workers: {nodes: 1}"));
    assertThat(out).contains("unknown field \"spec.workers\"");
  }

  @Test
  void aMissingApplicationIsRejected() throws IOException {
    String out = applyFails(service("noapp", "agents: {nodes: 1}"));
    assertThat(out).contains("spec.application").contains("Required value");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HelloWorldService", "PhpService", "JavaService", "MysqlService", "Application",
      "CodeUpload", "Agent"})
  void aManifestWithoutSpecIsRejected(String kind) throws IOException {
    // Without a required spec the API server would accept an object whose required fields
    // (e.g. a service's application) were never checked.
    String out = applyFails("apiVersion: conpaas.io/v1alpha1\nkind: " + kind + "\nmetadata: {name: nospec, namespace: "
        + ns + "}\n");
    assertThat(out).contains("spec").contains("Required value");
  }

  @Test
  void aCloudWithoutSpecIsRejected() throws IOException {
    String out = applyFails("apiVersion: conpaas.io/v1alpha1\nkind: Cloud\nmetadata: {name: nospec-" + ns + "}\n");
    assertThat(out).contains("spec").contains("Required value");
  }

  @Test
  void theApplicationCannotBeChanged() throws IOException {
    Kubectl.ok("apply", "-f", write(service("fixed", "application: one\n  agents: {nodes: 0}")));
    String out = applyFails(service("fixed", "application: two\n  agents: {nodes: 0}"));
    assertThat(out).contains("spec.application").contains("application is immutable");
  }

  @Test
  void anEc2CloudWithoutItsSettingsIsRejected() throws IOException {
    String out = applyFails("apiVersion: conpaas.io/v1alpha1\nkind: Cloud\nmetadata: {name: half-" + ns
        + "}\nspec: {provider: ec2}\n");
    assertThat(out).contains("spec.ec2 is required when provider is ec2");
  }

  @Test
  void anUnknownProviderIsRejected() throws IOException {
    String out = applyFails("apiVersion: conpaas.io/v1alpha1\nkind: Cloud\nmetadata: {name: gcp-" + ns
        + "}\nspec: {provider: gcp}\n");
    assertThat(out).contains("spec.provider").contains("Unsupported value: \"gcp\"");
  }

  @Test
  void printerColumnsAndExplainAreUseful() throws IOException {
    Kubectl.ok("apply", "-f", write(service("cols", "application: app\n  agents: {nodes: 0}")));
    String header = Kubectl.ok("-n", ns, "get", "helloworldservices").lines().findFirst().orElseThrow();
    assertThat(header).containsSubsequence("NAME", "STATE", "READY", "AGE");
    assertThat(Kubectl.ok("explain", "helloworldservice.spec.agents"))
        .contains("Number of agents (VMs) of this role");
    assertThat(Kubectl.ok("explain", "cloud.spec.provider")).contains("local");
    assertThat(Kubectl.ok("explain", "helloworldservice.spec")).contains("Desired state");
  }

  private String service(String name, String specBody) {
    return "apiVersion: conpaas.io/v1alpha1\nkind: HelloWorldService\nmetadata: {name: " + name
        + ", namespace: " + ns + "}\nspec:\n  " + specBody + "\n";
  }

  private static String applyFails(String manifest) throws IOException {
    Kubectl.Result r = Kubectl.run("apply", "-f", write(manifest));
    assertThat(r.exitCode()).as(r.output()).isNotZero();
    return r.output();
  }

  private static String write(String manifest) throws IOException {
    Path f = Files.createTempFile(dir, "m", ".yaml");
    Files.writeString(f, manifest);
    return f.toString();
  }
}
