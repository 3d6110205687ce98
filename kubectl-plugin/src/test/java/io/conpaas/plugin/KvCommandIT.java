package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.ScalarisService;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * create/list for ScalarisService and {@code kv get|put|delete} against the real API server; the
 * store's HTTP API at status.endpoints[0] is a stand-in here (the real one is tested with real
 * members in agent-runtime's KvNodeRoleTest and the operator's ScalarisServiceIT).
 */
class KvCommandIT {
  static final ResourceDefinitionContext KV = ResourceDefinitionContext.fromResourceType(ScalarisService.class);
  static KubernetesClient client;
  static String ns;
  static HttpServer store;
  static final Map<String, String> entries = new ConcurrentHashMap<>();

  @BeforeAll
  static void namespaceWithApplicationAndAStore() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-kv");
    Application app = new Application();
    app.setMetadata(new ObjectMetaBuilder().withName("demo").withNamespace(ns).build());
    app.setSpec(new ApplicationSpec());
    client.resource(app).create();
    store = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    store.createContext("/kv/", ex -> {
      String key = ex.getRequestURI().getPath().substring("/kv/".length());
      int status = 204;
      byte[] body = new byte[0];
      switch (ex.getRequestMethod()) {
        case "GET" -> {
          String v = entries.get(key);
          status = v == null ? 404 : 200;
          body = (v == null ? "no such key\n" : v).getBytes(StandardCharsets.UTF_8);
        }
        case "PUT" -> entries.put(key, new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        case "DELETE" -> status = entries.remove(key) == null ? 404 : 204;
        default -> status = 405;
      }
      ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
      ex.close();
    });
    store.start();
  }

  @AfterAll
  static void cleanUp() {
    store.stop(0);
    client.genericKubernetesResources(KV).inNamespace(ns).delete();
    client.resources(Application.class).inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  @Test
  void createListAndKeysThroughTheServicesEndpoint() {
    Plugin.Result created = Plugin.run("-n", ns, "create", "scalaris", "kv", "--application", "demo", "--nodes", "3");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out()).isEqualTo("scalarisservice.conpaas.io/kv created\n");
    assertThat((Object) client.genericKubernetesResources(KV).inNamespace(ns).withName("kv").get().get("spec"))
        .isEqualTo(Map.of("application", "demo", "nodes", Map.of("nodes", 3), "backupCount", 1));

    Plugin.Result early = Plugin.run("-n", ns, "kv", "get", "kv", "users", "alice");
    assertThat(early.exitCode()).isEqualTo(1);
    assertThat(early.err()).startsWith("error: scalarisservice/kv has no endpoint yet");

    String base = "http://127.0.0.1:" + store.getAddress().getPort() + "/";
    client.genericKubernetesResources(KV).inNamespace(ns).withName("kv").editStatus(o -> {
      o.setAdditionalProperty("status", Map.of("state", "RUNNING", "endpoints", List.of(
          Map.of("name", "kv", "url", base + "kv/"), Map.of("name", "status", "url", base))));
      return o;
    });
    assertThat(Plugin.run("-n", ns, "list").out()).contains("ScalarisService     kv     demo          RUNNING   nodes 0/3");

    Plugin.Result put = Plugin.run("-n", ns, "kv", "put", "kv", "users", "alice", "Alice Liddell");
    assertThat(put.exitCode()).as(put.toString()).isZero();
    assertThat(put.out()).isEqualTo("stored users/alice in scalarisservice/kv\n");
    assertThat(entries).containsEntry("users/alice", "Alice Liddell");
    Plugin.Result fromStdin = Plugin.runWithInput("from stdin", () -> null, "-n", ns, "kv", "put", "kv", "users",
        "bob", "-");
    assertThat(fromStdin.exitCode()).as(fromStdin.toString()).isZero();
    assertThat(entries).containsEntry("users/bob", "from stdin");

    Plugin.Result get = Plugin.run("-n", ns, "kv", "get", "kv", "users", "alice");
    assertThat(get.exitCode()).as(get.toString()).isZero();
    assertThat(get.out()).isEqualTo("Alice Liddell\n");

    Plugin.Result delete = Plugin.run("-n", ns, "kv", "delete", "kv", "users", "alice");
    assertThat(delete.out()).isEqualTo("deleted users/alice from scalarisservice/kv\n");
    Plugin.Result missing = Plugin.run("-n", ns, "kv", "get", "kv", "users", "alice");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo("error: no key 'alice' in map 'users' of scalarisservice/kv\n");

    Plugin.Result noValue = Plugin.run("-n", ns, "kv", "put", "kv", "users", "carol");
    assertThat(noValue.exitCode()).isNotZero();
    assertThat(noValue.err()).contains("kv put needs a VALUE");
  }

  @Test
  void otherKindsAreRefused() {
    TestObjects.helloWorld(client, ns, "hw", 1);
    Plugin.Result r = Plugin.run("-n", ns, "kv", "get", "hw", "m", "k");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: HelloWorldService has no key-value store (kv works with ScalarisService)\n");
  }
}
