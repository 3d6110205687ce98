package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as users run it: hack/install-plugin.sh puts a kubectl-conpaas wrapper of the shaded
 * jar on PATH, and `kubectl conpaas ...` runs it as a separate process against the dev cluster.
 */
class InstalledPluginIT {
  static final Path ROOT = DevCluster.repoRoot();
  static final Path JAR = ROOT.resolve("kubectl-plugin/target/kubectl-conpaas.jar");

  @TempDir
  static Path bin;

  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void install() {
    assertThat(JAR).as("the shaded jar (built in the package phase)").isRegularFile();
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-path");
    Plugin.Result r = Processes.run(List.of("bash", ROOT.resolve("hack/install-plugin.sh").toString(),
        bin.toString()), Map.of(), null);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  @AfterAll
  static void cleanUp() {
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void theInstallerWritesAnExecutableWrapperAndCanRunAgain() throws IOException {
    Path wrapper = bin.resolve("kubectl-conpaas");
    assertThat(Files.isExecutable(wrapper)).isTrue();
    String first = Files.readString(wrapper);
    assertThat(first).startsWith("#!/bin/sh\n").contains("exec java -jar " + JAR + " \"$@\"");

    Plugin.Result again = Processes.run(List.of("bash", ROOT.resolve("hack/install-plugin.sh").toString()),
        Map.of("PREFIX", bin.toString()), null);

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(Files.readString(wrapper)).isEqualTo(first);
    try (var files = Files.list(bin)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("kubectl-conpaas");
    }
  }

  @Test
  void kubectlConpaasListsAndScalesThroughThePath() {
    TestObjects.helloWorld(client, ns, "onpath", 1);

    Plugin.Result list = kubectlConpaas("-n", ns, "list");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.err()).isEmpty();
    assertThat(list.out()).contains("HelloWorldService   onpath");

    Plugin.Result add = kubectlConpaas("-n", ns, "add-nodes", "onpath", "2");
    assertThat(add.exitCode()).as(add.toString()).isZero();
    GenericKubernetesResource after = TestObjects.hello(client, ns, "onpath").get();
    assertThat((Object) after.get("spec", "agents", "nodes")).isEqualTo(3);
    assertThat(TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "scale")).isPresent();
  }

  @Test
  void errorsAreOneLineOnStderrWithANonZeroExitAndNoStackTrace() {
    TestObjects.helloWorld(client, ns, "strict", 1);

    Plugin.Result below = kubectlConpaas("-n", ns, "remove-nodes", "strict", "5");
    assertThat(below.exitCode()).isEqualTo(1);
    assertThat(below.out()).isEmpty();
    assertThat(below.err()).isEqualTo(
        "error: cannot remove 5 nodes from role agents of helloworldservice/strict: it has 1 and cannot go below 0\n");

    Plugin.Result forbidden = kubectlConpaas("-n", ns, "--as", "system:serviceaccount:" + ns + ":nobody", "list");
    assertThat(forbidden.exitCode()).isEqualTo(1);
    assertThat(forbidden.errLines()).hasSize(1).first().asString().startsWith("error: forbidden (HTTP 403): ");

    Plugin.Result usage = kubectlConpaas("add-nodes", "--bogus");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.errLines()).hasSize(1).first().asString().startsWith("error: ");

    Plugin.Result unreachable = Processes.run(List.of("kubectl", "conpaas", "list", "--kubeconfig", "/nonexistent"),
        Map.of("PATH", bin + ":" + System.getenv("PATH")), null);
    assertThat(unreachable.exitCode()).isEqualTo(1);
    assertThat(unreachable.err()).isEqualTo("error: cannot read kubeconfig /nonexistent\n");
  }

  @Test
  void helpSaysHowToRunWithoutInstallingAndCompletionWorksInBash() {
    Plugin.Result help = kubectlConpaas("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("java -jar kubectl-plugin/target/kubectl-conpaas.jar")
        .contains("hack/install-plugin.sh");

    Plugin.Result script = kubectlConpaas("completion");
    assertThat(script.exitCode()).isZero();
    Plugin.Result completed = Processes.run(List.of("bash", "-c", """
        source /dev/stdin
        COMP_WORDS=(kubectl-conpaas ad); COMP_CWORD=1; COMP_LINE="kubectl-conpaas ad"; COMP_POINT=${#COMP_LINE}
        _complete_kubectl-conpaas
        echo "${COMPREPLY[@]}"
        """), Map.of(), script.out());
    assertThat(completed.out().trim()).isEqualTo("add-nodes add_nodes");
  }

  private static Plugin.Result kubectlConpaas(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("kubectl", "conpaas"));
    command.addAll(List.of(args));
    return Processes.run(command, Map.of("PATH", bin + ":" + System.getenv("PATH"),
        "KUBECONFIG", DevCluster.kubeconfig()), null);
  }
}
