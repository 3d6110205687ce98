package io.conpaas.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real control plane the integration tests run against (kube-apiserver, kube-controller-manager
 * with its garbage collector and namespace controller, kube-scheduler): started (or reused) once per
 * JVM by hack/dev-cluster.sh, with the CRDs the build generated applied to it.
 */
public final class DevCluster {
  private static KubernetesClient client;
  private static String kubeconfig;

  private DevCluster() {}

  /** The repository's root (where hack/ lives). */
  public static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("hack/dev-cluster.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find hack/dev-cluster.sh above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /** An admin client of the dev cluster, with the CRDs installed. */
  static {
    // Objects watched by ITs start without status (or are briefly missing): a wait must treat the
    // NullPointerException of a not-yet-written field as "not yet", not as a failure. A wait that
    // never succeeds still fails, with the last exception as its cause.
    org.awaitility.Awaitility.ignoreExceptionsByDefault();
  }

  public static synchronized KubernetesClient client() {
    if (client == null) {
      kubeconfig = up();
      try {
        client = new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)))).build();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      installCrds(client);
    }
    return client;
  }

  /** Path of the admin kubeconfig, for tests that run kubectl as a user would. */
  public static synchronized String kubeconfig() {
    client();
    return kubeconfig;
  }

  /**
   * This JVM's control plane directory: CONPAAS_DEV_CLUSTER_DIR (default ~/.cache/conpaas/dev-cluster),
   * with "-fork-N" for the Nth parallel failsafe fork (N &gt; 1, system property conpaas.it.fork, set by the build):
   * each fork gets a control plane of its own, so ITs of two forks never share CRDs, namespaces or
   * a restart of the API server.
   */
  public static Path stateDir() {
    String base = System.getenv().getOrDefault("CONPAAS_DEV_CLUSTER_DIR",
        System.getProperty("user.home") + "/.cache/conpaas/dev-cluster");
    String fork = System.getProperty("conpaas.it.fork", "fork-1");
    return Path.of(fork.equals("fork-1") || !fork.matches("fork-[0-9]+") ? base : base + "-" + fork);
  }

  /** Runs hack/dev-cluster.sh COMMAND on {@link #stateDir()} (for tests that restart it). */
  public static ProcessBuilder script(String command) {
    ProcessBuilder pb = new ProcessBuilder("bash", repoRoot().resolve("hack/dev-cluster.sh").toString(), command);
    pb.environment().put("CONPAAS_DEV_CLUSTER_DIR", stateDir().toString());
    return pb;
  }

  private static String up() {
    BoundedCommand.Outcome r = BoundedCommand.run(
        List.of("bash", repoRoot().resolve("hack/dev-cluster.sh").toString(), "up"),
        java.util.Map.of("CONPAAS_DEV_CLUSTER_DIR", stateDir().toString()), Duration.ofMinutes(20), true);
    // Its log lines (standard error) are kept in the output: a failure then names its cause in the
    // test report instead of "failed: " and nothing.
    List<String> lines = r.output().lines().toList();
    String export = lines.stream().filter(l -> l.startsWith("export KUBECONFIG=")).reduce((a, b) -> b).orElse(null);
    if (r.exitCode() != 0 || export == null) {
      throw new IllegalStateException("hack/dev-cluster.sh up (" + stateDir() + ") failed with exit code "
          + r.exitCode() + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
    }
    return export.substring("export KUBECONFIG=".length()).trim();
  }

  private static void installCrds(KubernetesClient client) {
    List<Path> files;
    try (Stream<Path> s = Files.list(repoRoot().resolve("helm/conpaas/crds"))) {
      files = s.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (HasMetadata crd : client.load(in).items()) {
          client.resource(crd).forceConflicts().serverSideApply();
          awaitEstablished(client, crd.getMetadata().getName());
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    // The admission policy that authorizes code uploads (plain YAML in the chart, applied as is).
    try (InputStream in = Files.newInputStream(repoRoot().resolve("helm/conpaas/templates/codeupload-policy.yaml"))) {
      for (HasMetadata o : client.load(in).items()) {
        client.resource(o).forceConflicts().serverSideApply();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the API server serves the named CRD; its status and conditions are absent at first. */
  public static void awaitEstablished(KubernetesClient client, String crdName) {
    client.resources(CustomResourceDefinition.class).withName(crdName)
        .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
            && c.getStatus().getConditions().stream()
                .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
            60, TimeUnit.SECONDS);
  }
}
