package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RBAC on the real API server: the plugin impersonates (--as, fabric8's impersonation settings;
 * the dev cluster's admin may impersonate) ServiceAccounts with no rights or read-only rights.
 * Every refusal is one "forbidden" line on stderr, a non-zero exit, and no change.
 */
class PermissionIT {
  static KubernetesClient client;
  static String ns;
  static String nobody;
  static String viewer;

  @BeforeAll
  static void serviceAndRbac() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-rbac");
    nobody = "system:serviceaccount:" + ns + ":nobody";
    viewer = "system:serviceaccount:" + ns + ":viewer";
    TestObjects.helloWorld(client, ns, "hw", 2);
    TestObjects.webService(client, ns, "PhpService", "web", null);
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("conpaas-viewer")
        .endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io")
                .withResources("helloworldservices", "helloworldservices/scale", "phpservices", "agents")
                .withVerbs("get", "list", "watch").build(),
            new PolicyRuleBuilder().withApiGroups("").withResources("events").withVerbs("get", "list").build())
        .build()).create();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("conpaas-viewer").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("conpaas-viewer")
        .endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("viewer").withNamespace(ns).endSubject()
        .build()).create();
  }

  @AfterAll
  static void cleanUp() {
    client.rbac().roleBindings().inNamespace(ns).delete();
    client.rbac().roles().inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void aServiceAccountWithoutRightsGetsOneForbiddenLineFromEveryCommand() {
    String version = version();
    List<String[]> commands = List.of(
        new String[] {"list"},
        new String[] {"usage", "hw"},
        new String[] {"create", "helloworld", "new", "--application", "demo"},
        new String[] {"add-nodes", "hw", "1"},
        new String[] {"remove-nodes", "hw", "1"},
        new String[] {"stop", "hw"},
        new String[] {"start", "hw"},
        new String[] {"terminate", "hw"},
        new String[] {"agents", "hw"},
        new String[] {"logs", "hw"},
        new String[] {"upload-code", "hw", "app.zip"},
        new String[] {"versions", "hw"},
        new String[] {"activate", "hw", "v1"},
        new String[] {"toggle-debug", "hw"},
        new String[] {"reset-password", "hw", "--password-stdin"},
        new String[] {"upload-dump", "hw", "dump.sql"},
        new String[] {"connect", "hw"});
    for (String[] command : commands) {
      List<String> args = new ArrayList<>(List.of("-n", ns, "--as", nobody));
      args.addAll(List.of(command));

      Plugin.Result r = Plugin.run(args.toArray(String[]::new));

      assertThat(r.exitCode()).as(String.join(" ", command) + ": " + r).isEqualTo(1);
      assertThat(r.out()).as(r.toString()).isEmpty();
      assertThat(r.errLines()).as(r.toString()).hasSize(1).first().asString()
          .startsWith("error: forbidden (HTTP 403): ")
          .contains("User \"" + nobody + "\" cannot ");
    }
    assertThat(version()).isEqualTo(version);
    assertThat(TestObjects.hello(client, ns, "new").get()).isNull();
  }

  @Test
  void aReadOnlyServiceAccountCanLookButNotChange() {
    String version = version();

    Plugin.Result list = Plugin.run("-n", ns, "--as", viewer, "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains("hw").contains("web");
    // A kind the viewer may not read is left out, with a warning, and does not hide the others.
    // (The viewer may read helloworldservices and phpservices only: every other registered kind is warned about.)
    assertThat(list.errLines()).containsExactlyElementsOf(io.conpaas.api.v1alpha1.KindRegistry.SERVICE_KINDS.stream()
        .map(io.conpaas.api.v1alpha1.RegisteredKind::plural)
        .filter(plural -> !plural.equals("helloworldservices") && !plural.equals("phpservices"))
        .map(plural -> "warning: not allowed to list " + plural + ".conpaas.io in namespace '" + ns + "'; not shown")
        .toList());
    assertThat(Plugin.run("-n", ns, "--as", viewer, "agents", "hw").exitCode()).isZero();
    assertThat(Plugin.run("-n", ns, "--as", viewer, "logs", "hw").exitCode()).isZero();

    Plugin.Result add = Plugin.run("-n", ns, "--as", viewer, "add-nodes", "hw", "1");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(add.errLines()).hasSize(1).first().asString().startsWith("error: forbidden (HTTP 403): ")
        .contains("cannot patch resource \"helloworldservices/scale\"");

    Plugin.Result stop = Plugin.run("-n", ns, "--as", viewer, "stop", "hw");
    assertThat(stop.errLines()).hasSize(1).first().asString().startsWith("error: forbidden (HTTP 403): ")
        .contains("cannot patch resource \"helloworldservices\"");

    Plugin.Result terminate = Plugin.run("-n", ns, "--as", viewer, "terminate", "hw");
    assertThat(terminate.errLines()).hasSize(1).first().asString().startsWith("error: forbidden (HTTP 403): ")
        .contains("cannot delete resource \"helloworldservices\"");

    assertThat(version()).isEqualTo(version);
  }

  @Test
  void uploadingAndDebuggingNeedMoreThanReadAccess(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("app.zip"), new byte[] {1, 2, 3});
    String before = TestObjects.web(client, ns, "PhpService", "web").get().getMetadata().getResourceVersion();

    Plugin.Result upload = Plugin.run("-n", ns, "--as", viewer, "upload-code", "web", file.toString());
    assertThat(upload.exitCode()).isEqualTo(1);
    assertThat(upload.errLines()).hasSize(1).first().asString().startsWith("error: forbidden (HTTP 403): ")
        .contains("cannot create resource \"codeuploads\"");

    Plugin.Result debug = Plugin.run("-n", ns, "--as", viewer, "toggle-debug", "web");
    assertThat(debug.errLines()).hasSize(1).first().asString().startsWith("error: forbidden (HTTP 403): ")
        .contains("cannot patch resource \"phpservices\"");

    assertThat(Plugin.run("-n", ns, "--as", viewer, "versions", "web").exitCode()).isZero();
    assertThat(TestObjects.web(client, ns, "PhpService", "web").get().getMetadata().getResourceVersion())
        .isEqualTo(before);
  }

  private static String version() {
    return TestObjects.hello(client, ns, "hw").get().getMetadata().getResourceVersion();
  }
}
