package io.conpaas.operator.testing;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.Kubectl;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The helm binary (cached by hack/install-deps.sh) run on the repository's chart. */
public final class Helm {
  private Helm() {}

  public static Path chart() {
    return DevCluster.repoRoot().resolve("helm/conpaas");
  }

  /** {@code helm template RELEASE chart -n NAMESPACE args...}; fails unless helm exits 0. */
  public static String template(String release, String namespace, String... args) {
    List<String> cmd = new ArrayList<>(List.of("template", release, chart().toString(), "-n", namespace));
    cmd.addAll(List.of(args));
    Kubectl.Result r = run(cmd.toArray(String[]::new));
    if (r.exitCode() != 0) {
      throw new AssertionError("helm " + String.join(" ", cmd) + " failed: " + r.output());
    }
    return r.output();
  }

  /**
   * Applies a rendering's objects except the Deployment (the dev cluster has no kubelet to run
   * it); returns them.
   */
  public static List<HasMetadata> applyWithoutDeployment(KubernetesClient admin, String rendered) {
    List<HasMetadata> objects = admin.load(new ByteArrayInputStream(rendered.getBytes(StandardCharsets.UTF_8)))
        .items().stream().filter(o -> !"Deployment".equals(o.getKind())).toList();
    objects.forEach(o -> admin.resource(o).serverSideApply());
    return objects;
  }

  public static Kubectl.Result run(String... args) {
    Path cached = Path.of(System.getProperty("user.home"), ".cache/conpaas/bin/helm");
    List<String> cmd = new ArrayList<>(List.of(Files.isExecutable(cached) ? cached.toString() : "helm"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("helm timed out: " + cmd);
      }
      return new Kubectl.Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run helm (hack/install-deps.sh builds it): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
