package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The manifest create applies or prints. */
class ServiceManifestTest {
  static final ServiceKind HELLO = ServiceKinds.standard().require("helloworld");

  @Test
  void containsOnlyWhatTheUserChose() {
    GenericKubernetesResource r = ServiceManifest.build(HELLO, "ns1", "hw", "demo", null, 2, Map.of("message", "hi"));

    assertThat(r.getApiVersion()).isEqualTo("conpaas.io/v1alpha1");
    assertThat(r.getKind()).isEqualTo("HelloWorldService");
    assertThat(r.getMetadata().getName()).isEqualTo("hw");
    assertThat(r.getMetadata().getNamespace()).isEqualTo("ns1");
    assertThat((Object) r.get("spec")).isEqualTo(Map.of("application", "demo", "agents", Map.of("nodes", 2),
        "message", "hi"));
  }

  @Test
  void aCloudAndNoNamespaceAreAllowed() {
    GenericKubernetesResource r = ServiceManifest.build(HELLO, null, "hw", "demo", "aws-eu", 0, Map.of());

    assertThat(r.getMetadata().getNamespace()).isNull();
    assertThat((Object) r.get("spec")).isEqualTo(Map.of("application", "demo", "cloud", "aws-eu",
        "agents", Map.of("nodes", 0)));
  }

  @Test
  void aWebServiceStartsWithTheScaleRoleCountAndOneAgentOfEveryOtherRole() {
    ServiceKind php = ServiceKinds.standard().require("php");

    GenericKubernetesResource r = ServiceManifest.build(php, "ns1", "web", "demo", null, 3, Map.of());

    assertThat(r.getKind()).isEqualTo("PhpService");
    assertThat((Object) r.get("spec")).isEqualTo(Map.of("application", "demo", "backend", Map.of("nodes", 3),
        "web", Map.of("nodes", 1), "proxy", Map.of("nodes", 1)));
    assertThatThrownBy(() -> ServiceManifest.build(php, null, "web", "demo", null, 1, Map.of("message", "hi")))
        .hasMessage("service type php has no setting --message");
  }

  @Test
  void aMysqlServiceStartsWithItsMasterAndTheSlavesAskedFor() {
    ServiceKind mysql = ServiceKinds.standard().require("mysql");

    GenericKubernetesResource r = ServiceManifest.build(mysql, "ns1", "db", "demo", null, mysql.initialNodes(),
        Map.of());

    assertThat(r.getKind()).isEqualTo("MysqlService");
    assertThat((Object) r.get("spec")).isEqualTo(Map.of("application", "demo", "slaves", Map.of("nodes", 0),
        "master", Map.of("nodes", 1)));
  }

  @Test
  void rejectsBadNamesCountsAndSettingsTheKindDoesNotHave() {
    assertThatThrownBy(() -> ServiceManifest.build(HELLO, null, "Hello", "demo", null, 1, Map.of()))
        .hasMessageStartingWith("service name 'Hello' is not valid");
    assertThatThrownBy(() -> ServiceManifest.build(HELLO, null, "x".repeat(64), "demo", null, 1, Map.of()))
        .hasMessageContaining("at most 63");
    assertThatThrownBy(() -> ServiceManifest.build(HELLO, null, "hw", "no_app", null, 1, Map.of()))
        .hasMessageStartingWith("application name 'no_app' is not valid");
    assertThatThrownBy(() -> ServiceManifest.build(HELLO, null, "hw", "demo", null, 1001, Map.of()))
        .hasMessage("--nodes must be between 0 and 1000 (got 1001)");
    assertThatThrownBy(() -> ServiceManifest.build(HELLO, null, "hw", "demo", null, 1, Map.of("code", "v1")))
        .hasMessage("service type helloworld has no setting --code; its settings: --message");
    assertThat((Object) ServiceManifest.build(HELLO, null, "hw", "my.app", null, 1, Map.of())
        .get("spec", "application")).isEqualTo("my.app");
  }
}
