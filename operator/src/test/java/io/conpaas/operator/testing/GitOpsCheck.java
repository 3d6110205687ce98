package io.conpaas.operator.testing;

import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs hack/gitops-check.sh (real kstatus from sigs.k8s.io/cli-utils and the shipped Argo CD health
 * scripts in gopher-lua) over objects read from the API server.
 */
public final class GitOpsCheck {
  /** How GitOps tools see one object. */
  public record Verdict(String kstatus, String argoHealth, String message) {
    public String pair() {
      return kstatus + "/" + argoHealth;
    }
  }

  private GitOpsCheck() {}

  /** Verdicts by "Kind/name" for every object of these kinds in the namespace, as the API server serves them. */
  public static Map<String, Verdict> judge(KubernetesClient client, String namespace, List<String> kinds)
      throws IOException, InterruptedException {
    List<GenericKubernetesResource> items = new ArrayList<>();
    for (String kind : kinds) {
      var resources = client.genericKubernetesResources(ApiConstants.API_VERSION, kind);
      // Clouds are cluster-scoped.
      items.addAll(("Cloud".equals(kind) ? resources.list() : resources.inNamespace(namespace).list()).getItems());
    }
    String list = Serialization.asJson(Map.of("apiVersion", "v1", "kind", "List", "items", items));
    Process p = new ProcessBuilder("bash", DevCluster.repoRoot().resolve("hack/gitops-check.sh").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    p.getOutputStream().write(list.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("hack/gitops-check.sh failed: " + out);
    }
    Map<String, Verdict> verdicts = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      verdicts.put(f[0] + "/" + f[1].substring(f[1].indexOf('/') + 1), new Verdict(f[2], f[3], f[4]));
    }
    return verdicts;
  }
}
