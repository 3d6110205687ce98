package io.conpaas.operator.testing;

import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A second, independent dev cluster (its own kube-apiserver and etcd, so its own kube-system
 * UID), with the CRDs applied: another installation's cluster, for tests of what two
 * installations share (a cloud account). Closing it stops the server and deletes its data.
 */
public final class SecondCluster implements AutoCloseable {
  private final Path stateDir;
  private final KubernetesClient client;

  private SecondCluster(Path stateDir, KubernetesClient client) {
    this.stateDir = stateDir;
    this.client = client;
  }

  /** Starts it in this JVM's dev cluster state dir plus "-second" (free ports chosen by the script). */
  public static SecondCluster start() {
    Path dir = Path.of(DevCluster.stateDir() + "-second");
    String out = script(dir, "up");
    try {
      KubernetesClient c = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
          Files.readString(Path.of(out.trim().replaceFirst("^export KUBECONFIG=", ""))))).build();
      installCrds(c);
      return new SecondCluster(dir, c);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public KubernetesClient client() {
    return client;
  }

  @Override
  public void close() {
    client.close();
    script(stateDir, "down");
  }

  private static void installCrds(KubernetesClient c) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DevCluster.repoRoot().resolve("helm/conpaas/crds"))) {
      files = s.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        for (HasMetadata crd : c.load(in).items()) {
          c.resource(crd).forceConflicts().serverSideApply();
          DevCluster.awaitEstablished(c, crd.getMetadata().getName());
        }
      }
    }
  }

  private static String script(Path stateDir, String command) {
    ProcessBuilder pb = new ProcessBuilder("bash", DevCluster.repoRoot().resolve("hack/dev-cluster.sh").toString(),
        command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("CONPAAS_DEV_CLUSTER_DIR", stateDir.toString());
    // Not the main cluster's preferred ports (the script moves on from a taken one anyway).
    java.util.Random random = new java.util.Random();
    pb.environment().put("CONPAAS_APISERVER_PORT", Integer.toString(20000 + random.nextInt(20000)));
    pb.environment().put("CONPAAS_ETCD_PORT", Integer.toString(40000 + random.nextInt(20000)));
    try {
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException("hack/dev-cluster.sh " + command + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
