package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.XtreemFsPolicies;
import io.conpaas.api.v1alpha1.XtreemFsService;
import io.conpaas.api.v1alpha1.XtreemFsServiceSpec;
import io.conpaas.api.v1alpha1.XtreemFsVolume;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * XtreemFS persistency (manual 2.9.3) end to end: the real operator jar with a local Cloud runs an
 * XtreemFsService (real agents running SeaweedFS's master, filer and a volume server; hack/seaweedfs.sh
 * builds weed); files with known checksums go in; someone who may not update the service cannot take
 * a snapshot; {@code fs download-manifest} writes the snapshot and only then stops the service (its
 * VMs go); a truncated or altered copy is refused by {@code fs restore} and creates nothing; the real
 * file restored into a NEW service gives the same volumes (quota, replication) and byte-identical files.
 */
class FsSnapshotIT {
  private static final Duration SETTLE = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();

  static OperatedNamespace world;
  static KubernetesClient client;
  static String ns;

  @TempDir
  static Path dir;

  @BeforeAll
  static void operatorAndCloud() throws Exception {
    world = OperatedNamespace.start(dir, "plugin-fs", "files", Map.of("CONPAAS_WEED", weedBinary().toString()));
    client = world.client;
    ns = world.ns;
  }

  @AfterAll
  static void cleanUp() {
    if (world != null) {
      world.close(XtreemFsService.class, SETTLE);
    }
  }

  /** hack/seaweedfs.sh's binary (built from the Go module proxy once, then cached). */
  static Path weedBinary() throws Exception {
    Process p = new ProcessBuilder("bash", DevCluster.repoRoot().resolve("hack/seaweedfs.sh").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(30, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as("hack/seaweedfs.sh").isZero();
    return Path.of(out);
  }

  @Test
  void downloadManifestThenRestoreIntoANewServiceGivesByteIdenticalFiles() throws Exception {
    long t0 = System.nanoTime();
    client.resource(fileSystem("fs")).create();
    String filer = awaitFiler("fs");
    System.out.printf("fs snapshot: dir + 1 OSD RUNNING in %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    // Files with checksums in both volumes, some in nested directories, one empty; and an empty directory.
    Random random = new Random(31);
    Map<String, String> sums = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      String path = "/buckets/shared/" + (i % 3 == 0 ? "sub/deeper/" : "") + "f " + i + ".bin";
      sums.put(path, put(filer, path, bytes(random, i == 7 ? 0 : 1024 + random.nextInt(40 << 10))));
    }
    for (int i = 0; i < 8; i++) {
      sums.put("/buckets/safe/s-" + i + ".bin", put(filer, "/buckets/safe/s-" + i + ".bin", bytes(random, 3000)));
    }
    sums.put("/buckets/safe/big.bin", put(filer, "/buckets/safe/big.bin", bytes(random, 3 << 20)));
    mkdir(filer, "/buckets/shared/empty");
    assertThat(checksums(filer, sums.keySet())).isEqualTo(sums);

    // Someone who may read the service but not update it takes no snapshot, and nothing changes.
    reader("reader");
    Path snapshot = dir.resolve("fs.snapshot");
    Plugin.Result refused = Plugin.run("-n", ns, "--as", "system:serviceaccount:" + ns + ":reader", "fs",
        "download-manifest", "fs", snapshot.toString());
    assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
    assertThat(refused.err()).contains("needs permission to update it");
    assertThat(snapshot).doesNotExist();
    assertThat(service("fs").getSpec().getReadOnly()).isNull();
    assertThat(service("fs").getSpec().getStopped()).isNotEqualTo(Boolean.TRUE);

    // A snapshot that fails midway (here: more data than --max-bytes) leaves no file, and the service running
    // and writable.
    Plugin.Result failed = Plugin.run("-n", ns, "fs", "download-manifest", "fs", snapshot.toString(), "--max-bytes",
        "1000000");
    assertThat(failed.exitCode()).as(failed.toString()).isNotZero();
    assertThat(failed.err()).contains("more than --max-bytes", "NOT stopped", "writable again");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("fs.snapshot"));
    assertThat(service("fs").getSpec().getStopped()).isNotEqualTo(Boolean.TRUE);
    assertThat(service("fs").getSpec().getReadOnly()).isNull();
    byte[] late = bytes(random, 2000);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        sums.put("/buckets/safe/after-failure.bin", put(filer, "/buckets/safe/after-failure.bin", late)));
    assertThat(checksums(filer, sums.keySet())).isEqualTo(sums);

    long d0 = System.nanoTime();
    Plugin.Result downloaded = Plugin.run("-n", ns, "fs", "download-manifest", "fs", snapshot.toString());
    System.out.printf("fs snapshot: download-manifest of %d files in %d ms (%d bytes)%n", sums.size(),
        (System.nanoTime() - d0) / 1_000_000, Files.size(snapshot));
    assertThat(downloaded.exitCode()).as(downloaded.toString()).isZero();
    assertThat(downloaded.out()).contains("wrote " + snapshot, sums.size() + " files", "(verified)",
        "xtreemfsservice/fs stopping");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    // The service is stopped only now: its VMs (and their data) go.
    assertThat(service("fs").getSpec().getStopped()).isTrue();
    await().atMost(SETTLE).untilAsserted(() -> {
      assertThat(service("fs").getStatus().getState()).isEqualTo(ServiceState.STOPPED);
      assertThat(agents("fs")).isEmpty();
    });

    // A truncated copy and a copy with one byte changed are refused; no service is created for them.
    byte[] whole = Files.readAllBytes(snapshot);
    Path truncated = Files.write(dir.resolve("truncated.snapshot"), Arrays.copyOf(whole, whole.length - 5000));
    byte[] flipped = whole.clone();
    flipped[whole.length / 2] ^= 0x20;
    Path altered = Files.write(dir.resolve("altered.snapshot"), flipped);
    for (Path bad : List.of(truncated, altered)) {
      Plugin.Result r = Plugin.run("-n", ns, "fs", "restore", "fs-bad", bad.toString());
      assertThat(r.exitCode()).as(r.toString()).isNotZero();
      assertThat(r.err()).contains("cannot be restored", "nothing was created");
    }
    assertThat(client.resources(XtreemFsService.class).inNamespace(ns).withName("fs-bad").get()).isNull();

    long r0 = System.nanoTime();
    Plugin.Result restored = Plugin.run("-n", ns, "fs", "restore", "fs2", snapshot.toString());
    System.out.printf("fs snapshot: restore into a new service (RUNNING + %d files) in %d ms%n", sums.size(),
        (System.nanoTime() - r0) / 1_000_000);
    assertThat(restored.exitCode()).as(restored.toString()).isZero();
    XtreemFsService fs2 = service("fs2");
    assertThat(fs2.getMetadata().getAnnotations()).containsEntry("conpaas.io/restore", "Restored");
    assertThat(fs2.getSpec().getVolumes()).extracting(XtreemFsVolume::getName, XtreemFsVolume::getQuotaMb,
        XtreemFsVolume::getReplication).containsExactly(org.assertj.core.groups.Tuple.tuple("shared", 64L, null),
        org.assertj.core.groups.Tuple.tuple("safe", null, "000"));
    assertThat(fs2.getSpec().getPolicies().getVolumeSizeLimitMb()).isEqualTo(8);
    assertThat(fs2.getSpec().getReadOnly()).isNull();
    String filer2 = endpoint("fs2");
    Map<String, String> back = checksums(filer2, sums.keySet());
    assertThat(back).as("byte-identical files in the new service").isEqualTo(sums);
    assertThat(list(filer2, "/buckets/shared/")).contains("empty", "sub");

    // spec.readOnly (what download-manifest sets while it copies): writes are refused, reads go on.
    client.resources(XtreemFsService.class).inNamespace(ns).withName("fs2")
        .edit(x -> { x.getSpec().setReadOnly(true); return x; });
    await().atMost(Duration.ofSeconds(60)).until(() -> agents("fs2").stream()
        .anyMatch(a -> a.getStatus() != null && a.getStatus().getFacts() != null
            && "true".equals(a.getStatus().getFacts().get("readOnly"))));
    HttpResponse<String> write = HTTP.send(HttpRequest.newBuilder(uri(filer2, "/buckets/shared/refused.bin"))
        .timeout(Duration.ofSeconds(30)).PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[100])).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(write.statusCode() / 100).as(write.statusCode() + " " + write.body()).isNotEqualTo(2);
    assertThat(checksums(filer2, sums.keySet())).isEqualTo(sums);
    System.out.printf("fs snapshot: whole test %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }

  static XtreemFsService fileSystem(String name) {
    XtreemFsService s = new XtreemFsService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    XtreemFsServiceSpec spec = new XtreemFsServiceSpec();
    spec.setApplication("files");
    spec.setDir(new RoleSpec(1));
    ScaleRoleSpec osd = new ScaleRoleSpec();
    osd.setNodes(1);
    spec.setOsd(osd);
    XtreemFsVolume shared = new XtreemFsVolume();
    shared.setName("shared");
    shared.setQuotaMb(64L);
    XtreemFsVolume safe = new XtreemFsVolume();
    safe.setName("safe");
    safe.setReplication("000");
    spec.setVolumes(List.of(shared, safe));
    XtreemFsPolicies policies = new XtreemFsPolicies();
    policies.setOsdVolumes(20);
    policies.setVolumeSizeLimitMb(8);
    spec.setPolicies(policies);
    s.setSpec(spec);
    return s;
  }

  /** A ServiceAccount that may read XtreemFS services and Agents, not update them. */
  private static void reader(String name) {
    client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName(name).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("xtreemfsservices", "agents")
            .withVerbs("get", "list").build()).build()).create();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata().withName(name)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", name)
        .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(ns).endSubject().build()).create();
  }

  static XtreemFsService service(String name) {
    return client.resources(XtreemFsService.class).inNamespace(ns).withName(name).get();
  }

  static List<Agent> agents(String service) {
    return client.resources(Agent.class).inNamespace(ns).withLabel(ApiConstants.LABEL_SERVICE, service).list()
        .getItems();
  }

  static String endpoint(String name) {
    return service(name).getStatus().getEndpoints().stream().filter(e -> e.getName().equals("filer")).findFirst()
        .orElseThrow().getUrl();
  }

  static String awaitFiler(String name) {
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      XtreemFsService s = service(name);
      assertThat(s.getStatus()).isNotNull();
      assertThat(s.getStatus().getState()).as(s.getStatus().getMessage()).isEqualTo(ServiceState.RUNNING);
    });
    return endpoint(name);
  }

  static byte[] bytes(Random random, int size) {
    byte[] data = new byte[size];
    random.nextBytes(data);
    return data;
  }

  private static String base(String filer) {
    return filer.endsWith("/") ? filer.substring(0, filer.length() - 1) : filer;
  }

  private static URI uri(String filer, String path) {
    return URI.create(base(filer) + path.replace(" ", "%20"));
  }

  /** Writes a file through the filer's HTTP API (PUT of the raw bytes); returns its SHA-256. */
  static String put(String filer, String path, byte[] data) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(filer, path)).timeout(Duration.ofSeconds(30))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
    return sha256(data);
  }

  static void mkdir(String filer, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(filer, path + "/")).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path + ": " + r.body()).isBetween(200, 299);
  }

  static Map<String, String> checksums(String filer, Iterable<String> paths) throws Exception {
    Map<String, String> sums = new TreeMap<>();
    for (String path : paths) {
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(uri(filer, path)).timeout(Duration.ofSeconds(30))
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      sums.put(path, r.statusCode() == 200 ? sha256(r.body()) : "HTTP " + r.statusCode());
    }
    return sums;
  }

  static List<String> list(String filer, String dir) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri(filer, dir + "?limit=1000"))
        .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    List<String> names = new ArrayList<>();
    JsonNode entries = JSON.readTree(r.body()).path("Entries");
    entries.forEach(e -> {
      String full = e.path("FullPath").asText();
      names.add(full.substring(full.lastIndexOf('/') + 1));
    });
    return names;
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }
}
