package io.conpaas.plugin;

import static io.conpaas.plugin.TestObjects.SETUP_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * versions, activate and toggle-debug against the real API server: status.code as the operator
 * would report it (written through /status here), and patches of exactly one field each.
 */
class CodeCommandsIT {
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void namespace() {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-code");
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void versionsListsTheStoredVersionsMarksTheActiveOneAndNotesAnActivationInProgress() {
    TestObjects.webService(client, ns, "PhpService", "shop", "v3");
    TestObjects.codeStatus(client, ns, "PhpService", "shop", "v2", null,
        TestObjects.version("v1", 1234, "2026-11-01T10:00:00Z", "upload"),
        TestObjects.version("v2", 5678, "2026-11-02T10:00:00Z", "https://example.org/app.tar.gz"),
        TestObjects.version("v3", 91011, "2026-11-03T10:00:00Z", "upload"));

    Plugin.Result r = Plugin.run("-n", ns, "versions", "shop");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out().lines().map(l -> List.of(l.split(" {3,}"))).toList()).containsExactly(
        List.of("VERSION", "BYTES", "UPLOADED", "ORIGIN", "ACTIVE"),
        List.of("v1", "1234", "2026-11-01T10:00:00Z", "upload", "-"),
        List.of("v2", "5678", "2026-11-02T10:00:00Z", "https://example.org/app.tar.gz", "*"),
        List.of("v3", "91011", "2026-11-03T10:00:00Z", "upload", "-"),
        List.of("activation in progress: spec.code.activeVersion is v3, the agents serve v2"));
  }

  @Test
  void versionsPrintsTheListAsJsonOrYamlAndTheOperatorsMessage() {
    TestObjects.webService(client, ns, "JavaService", "api", "v9");
    TestObjects.codeStatus(client, ns, "JavaService", "api", "v1", "version v9 is not stored",
        TestObjects.version("v1", 10, "2026-11-01T10:00:00Z", "upload"));

    Plugin.Result json = Plugin.run("-n", ns, "versions", "java/api", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    List<?> list = Serialization.unmarshal(json.out(), List.class);
    assertThat(list).singleElement().isEqualTo(Map.of("version", "v1", "sha256", "cd".repeat(32), "bytes", 10,
        "format", "zip", "uploaded", "2026-11-01T10:00:00Z", "origin", "upload"));
    Plugin.Result yaml = Plugin.run("-n", ns, "versions", "api", "-o", "yaml");
    assertThat(Serialization.unmarshal(yaml.out(), List.class)).isEqualTo(list);

    Plugin.Result table = Plugin.run("-n", ns, "versions", "api");
    assertThat(table.out()).endsWith("activation in progress: spec.code.activeVersion is v9, the agents serve v1\n"
        + "message: version v9 is not stored\n");
  }

  @Test
  void versionsOfAServiceWithoutCodeSaysSoOnStderr() {
    TestObjects.webService(client, ns, "PhpService", "fresh", null);

    Plugin.Result r = Plugin.run("-n", ns, "versions", "fresh");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("No code versions in phpservice/fresh yet (upload one with upload-code).");
    assertThat(Plugin.run("-n", ns, "versions", "fresh", "-o", "json").out()).isEqualTo("[ ]\n");
  }

  @Test
  void activatePatchesOnlyTheActiveVersionAndRollsBack() {
    GenericKubernetesResource before = TestObjects.webService(client, ns, "PhpService", "roll", "v2");
    TestObjects.codeStatus(client, ns, "PhpService", "roll", "v2", null,
        TestObjects.version("v1", 10, "2026-11-01T10:00:00Z", "upload"),
        TestObjects.version("v2", 20, "2026-11-02T10:00:00Z", "upload"));

    Plugin.Result r = Plugin.run("-n", ns, "activate", "roll", "v1");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("phpservice/roll: activating v1 (was v2)\n");
    GenericKubernetesResource after = web("PhpService", "roll");
    assertThat((Object) after.get("spec", "code", "activeVersion")).isEqualTo("v1");
    assertOnlyChanged(before, after, "code", "activeVersion");
    ManagedFieldsEntry patch = TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "").orElseThrow();
    assertThat(patch.getOperation()).isEqualTo("Update");
    assertThat(TestObjects.fields(patch))
        .isEqualTo(Map.of("f:spec", Map.of("f:code", Map.of("f:activeVersion", Map.of()))));
    assertSetupKeeps(after, "f:application", "f:backend", "f:web", "f:proxy", "f:debug");
  }

  @Test
  void anUnknownVersionFailsNamingTheKnownOnesAndChangesNothing() {
    TestObjects.webService(client, ns, "JavaService", "known", "v1");
    TestObjects.codeStatus(client, ns, "JavaService", "known", "v1", null,
        TestObjects.version("v1", 10, "2026-11-01T10:00:00Z", "upload"),
        TestObjects.version("v2", 20, "2026-11-02T10:00:00Z", "upload"));
    TestObjects.webService(client, ns, "JavaService", "empty", null);
    String version = web("JavaService", "known").getMetadata().getResourceVersion();

    Plugin.Result r = Plugin.run("-n", ns, "activate", "known", "v7");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly(
        "error: version 'v7' is not a version of javaservice/known; its versions: v1, v2");
    assertThat(web("JavaService", "known").getMetadata().getResourceVersion()).isEqualTo(version);

    Plugin.Result none = Plugin.run("-n", ns, "activate", "empty", "v1");
    assertThat(none.errLines()).containsExactly(
        "error: version 'v1' is not a version of javaservice/empty; its versions: none uploaded yet");
  }

  @Test
  void toggleDebugFlipsOrSetsSpecDebugOnlyThroughAPatchOfThatField() {
    GenericKubernetesResource before = TestObjects.webService(client, ns, "PhpService", "dbg", "v1");

    Plugin.Result on = Plugin.run("-n", ns, "toggle-debug", "dbg");
    assertThat(on.exitCode()).as(on.toString()).isZero();
    assertThat(on.out()).isEqualTo("phpservice/dbg: debug on (spec.debug=true)\n");
    GenericKubernetesResource after = web("PhpService", "dbg");
    assertThat((Object) after.get("spec", "debug")).isEqualTo(true);
    assertOnlyChanged(before, after, "debug", null);
    ManagedFieldsEntry patch = TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "").orElseThrow();
    assertThat(TestObjects.fields(patch)).isEqualTo(Map.of("f:spec", Map.of("f:debug", Map.of())));
    assertSetupKeeps(after, "f:application", "f:backend", "f:web", "f:proxy", "f:code");

    assertThat(Plugin.run("-n", ns, "toggle_debug", "dbg").out())
        .isEqualTo("phpservice/dbg: debug off (spec.debug=false)\n");
    assertThat((Object) web("PhpService", "dbg").get("spec", "debug")).isEqualTo(false);
    // --on and --off set rather than flip: twice --on stays on.
    assertThat(Plugin.run("-n", ns, "toggle-debug", "dbg", "--on").out()).contains("debug on");
    assertThat(Plugin.run("-n", ns, "toggle-debug", "dbg", "--on").out()).contains("debug on");
    assertThat((Object) web("PhpService", "dbg").get("spec", "debug")).isEqualTo(true);
    assertThat(Plugin.run("-n", ns, "toggle-debug", "dbg", "--off").out()).contains("debug off");
    assertThat((Object) web("PhpService", "dbg").get("spec", "debug")).isEqualTo(false);
  }

  @Test
  void commandsThatTheKindDoesNotSupportFailClearlyAndChangeNothing() {
    TestObjects.webService(client, ns, "JavaService", "tomcat", null);
    TestObjects.helloWorld(client, ns, "hw", 1);
    String version = web("JavaService", "tomcat").getMetadata().getResourceVersion();

    Plugin.Result debug = Plugin.run("-n", ns, "toggle-debug", "tomcat");
    assertThat(debug.exitCode()).isEqualTo(1);
    assertThat(debug.errLines()).containsExactly(
        "error: JavaService has no debug setting (toggle-debug works with PhpService)");
    assertThat(web("JavaService", "tomcat").getMetadata().getResourceVersion()).isEqualTo(version);

    for (String command : new String[] {"versions", "activate"}) {
      Plugin.Result r = command.equals("versions") ? Plugin.run("-n", ns, command, "hw")
          : Plugin.run("-n", ns, command, "hw", "v1");
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(r.errLines()).containsExactly("error: HelloWorldService has no code versions (" + command
          + " works with PhpService, JavaService)");
    }
  }

  private static GenericKubernetesResource web(String kind, String name) {
    return TestObjects.web(client, ns, kind, name).get();
  }

  /** Spec, labels and annotations are equal except spec.FIELD (or spec.FIELD.SUBFIELD). */
  @SuppressWarnings("unchecked")
  private static void assertOnlyChanged(GenericKubernetesResource before, GenericKubernetesResource after,
      String field, String subfield) {
    Map<String, Object> specBefore = new HashMap<>((Map<String, Object>) before.get("spec"));
    Map<String, Object> specAfter = new HashMap<>((Map<String, Object>) after.get("spec"));
    if (subfield == null) {
      specBefore.remove(field);
      specAfter.remove(field);
    } else {
      Map<String, Object> b = new HashMap<>((Map<String, Object>) specBefore.remove(field));
      Map<String, Object> a = new HashMap<>((Map<String, Object>) specAfter.remove(field));
      b.remove(subfield);
      a.remove(subfield);
      assertThat(a).isEqualTo(b);
    }
    assertThat(specAfter).isEqualTo(specBefore);
    assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    assertThat(after.getMetadata().getAnnotations()).isEqualTo(before.getMetadata().getAnnotations());
  }

  /** The setup manager still owns these spec fields. */
  @SuppressWarnings("unchecked")
  private static void assertSetupKeeps(GenericKubernetesResource o, String... fields) {
    Map<String, Object> setup = TestObjects.fields(TestObjects.managedBy(o, SETUP_MANAGER, "").orElseThrow());
    assertThat((Map<String, Object>) setup.get("f:spec")).containsKeys(fields);
  }
}
