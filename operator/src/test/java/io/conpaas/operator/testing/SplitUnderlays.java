package io.conpaas.operator.testing;

import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.VpnSpec;
import io.conpaas.operator.ConpaasOperator;
import io.conpaas.reconcilers.vpn.VpnSettings;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The VPN relay ITs' world: local Clouds on underlay /24s with no route between them (each agent's
 * namespace holds only its own Cloud's block; the host holds the first address of each), a
 * vpn.enabled Application, an operator, and a PhpService "shop" whose proxy and web server run on
 * Cloud A and backends on Cloud B. Root only (namespaces). Also the checks both ITs make.
 */
public final class SplitUnderlays implements AutoCloseable {
  public final KubernetesClient client;
  public final String ns;
  private final Path workDir;
  /** Cloud name → its underlay /24, in creation order (A, B, then extra ones). */
  private final Map<String, String> networks = new LinkedHashMap<>();
  private final Map<String, Path> dirs = new LinkedHashMap<>();
  private ConpaasOperator operator;
  private WebServiceSteps<PhpService> steps;

  private SplitUnderlays(KubernetesClient client, String ns, Path workDir) {
    this.client = client;
    this.ns = ns;
    this.workDir = workDir;
  }

  /** A namespace and Clouds A and B (names prefix-a-ns, prefix-b-ns) on two free /24s. */
  public static SplitUnderlays create(String prefix, Path workDir) throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    KubernetesClient client = DevCluster.client();
    SplitUnderlays world = new SplitUnderlays(client, TestNamespace.create(client, prefix), workDir);
    world.addCloud(prefix + "-a-" + world.ns, false);
    world.addCloud(prefix + "-b-" + world.ns, false);
    return world;
  }

  /** One more local Cloud on a free /24 of its own; isolated makes even VMs off the VPN get a namespace. */
  public String addCloud(String name, boolean isolated) throws Exception {
    String net = freeNetwork(new HashSet<>(networks.values()));
    // Short: php-fpm's socket lives under it, and a Unix socket path has at most 107 characters.
    Path dir = workDir.resolve(Character.toString('a' + networks.size()));
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Cloud c = Fixtures.localCloud(name, dir);
    c.getSpec().getLocal().setNetwork(net);
    if (isolated) {
      c.getSpec().getLocal().setIsolateNetwork(true);
    }
    client.resource(c).create();
    networks.put(name, net);
    dirs.put(name, dir);
    return name;
  }

  public String cloud(int index) {
    return new ArrayList<>(networks.keySet()).get(index);
  }

  public String network(String cloud) {
    return networks.get(cloud);
  }

  /** The host's address on a Cloud's underlay (its first). */
  public String hostAddress(String cloud) {
    return networks.get(cloud).replace(".0/24", ".1");
  }

  public Path cloudDir(String cloud) {
    return dirs.get(cloud);
  }

  /**
   * The Application "app" (VPN on, vpn changed by the caller), the operator with these
   * vpn.bootstrapNodes, and the shop (backends on Cloud B, the rest on A), awaited RUNNING.
   */
  public void startShop(List<String> bootstrapNodes, Consumer<VpnSpec> vpn) {
    Application app = Fixtures.application(ns, "app", cloud(0));
    VpnSpec spec = new VpnSpec();
    spec.setEnabled(true);
    vpn.accept(spec);
    app.getSpec().setVpn(spec);
    client.resource(app).create();
    VpnSettings settings = new VpnSettings("172.16.0.0", "255.240.0.0", 5, bootstrapNodes);
    operator = TestOperator.start(TestOperator.settings(ns, workDir.resolve("operator"), Duration.ofSeconds(120), 3)
        .withVpn(settings), TestOperator.localDrivers(workDir.resolve("operator")));
    steps = new WebServiceSteps<>(client, ns, PhpService.class, "shop", ServiceKind.PhpService);
    PhpService php = Fixtures.php(ns, "shop", "app", 2);
    php.getSpec().getBackend().setCloud(cloud(1));
    php.getSpec().getProxy().setCloud(cloud(0));
    php.getSpec().getWeb().setCloud(cloud(0));
    client.resource(php).create();
    steps.awaitRunning();
  }

  public WebServiceSteps<PhpService> steps() {
    return steps;
  }

  /** The shop's Agents of a role (or any Agent with that role label), by name. */
  public List<Agent> agents(String role) {
    return client.resources(Agent.class).inNamespace(ns).withLabel("conpaas.io/role", role).list().getItems()
        .stream().sorted(Comparator.comparing(a -> a.getMetadata().getName())).toList();
  }

  public static String fact(Agent a, String name) {
    var facts = a.getStatus() == null ? null : a.getStatus().getFacts();
    String v = facts == null ? null : facts.get(name);
    return v == null ? "" : v;
  }

  /** The shop's Degraded condition when true. */
  public Optional<Condition> degraded() {
    PhpService s = client.resources(PhpService.class).inNamespace(ns).withName("shop").get();
    return s.getStatus().getConditions().stream()
        .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  /** Waits until pages came from every one of these backend VPN addresses (and only from them); returns ms. */
  public long awaitPagesFrom(Set<String> vpnAddresses, Duration atMost) {
    long start = System.nanoTime();
    Set<String> seen = new HashSet<>();
    await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
      var r = steps.get("/index.php");
      if (r.statusCode() == 200) {
        seen.add(r.body().strip().split(" ")[0]);
      }
      return seen.containsAll(vpnAddresses);
    });
    if (!vpnAddresses.containsAll(seen)) {
      throw new AssertionError("pages from " + seen + ", expected only " + vpnAddresses);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  /** A /24 in 10.248.0.0/13 that no route of the host names (other tests' underlays included). */
  static String freeNetwork(Set<String> taken) throws Exception {
    Process p = new ProcessBuilder("ip", "-4", "route", "show").redirectErrorStream(true).start();
    String routes = new String(p.getInputStream().readNBytes(1 << 20));
    p.waitFor();
    for (int i = 0; i < 200; i++) {
      int n = ThreadLocalRandom.current().nextInt(8 * 256);
      String net = "10." + (248 + n / 256) + "." + (n % 256) + ".0/24";
      if (!routes.contains(net.replace(".0/24", ".")) && !taken.contains(net)) {
        return net;
      }
    }
    throw new IllegalStateException("no free /24 in 10.248.0.0/13");
  }

  /** Whether a cpa-* namespace is one of this world's VMs. */
  public boolean vmOfThisWorld(String netns) {
    String id = netns.substring("cpa-".length());
    return networks.keySet().stream().anyMatch(c -> Files.isDirectory(cloudDir(c).resolve(id)));
  }

  /** Deletes the shop (and the Application), waits for its VMs and namespaces, stops the operator, deletes the Clouds. */
  @Override
  public void close() {
    if (operator != null) {
      client.resources(PhpService.class).inNamespace(ns).withName("shop").delete();
      client.resources(Application.class).inNamespace(ns).withName("app").delete();
      await().atMost(Duration.ofSeconds(90)).until(() ->
          client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
      await().atMost(Duration.ofSeconds(30)).until(() ->
          NetnsProbe.namespaces().stream().noneMatch(n -> n.startsWith("cpa-local-") && vmOfThisWorld(n)));
      operator.close();
    }
    for (String c : networks.keySet()) {
      client.resources(Cloud.class).withName(c).delete();
    }
  }
}
