package io.conpaas.agent.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.RoleContext;
import io.conpaas.agent.api.KvRoleKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real embedded members in one JVM, joined by member lists, driven through their HTTP APIs. */
class KvNodeRoleTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final List<KvNodeRole> roles = new ArrayList<>();

  @TempDir
  Path dir;

  @AfterEach
  void stopAll() {
    roles.forEach(KvNodeRole::stop);
  }

  private KvNodeRole node(String name, Map<String, String> config) {
    KvNodeRole role = new KvNodeRole();
    role.init(new RoleContext(name, dir.resolve(name), "127.0.0.1"));
    role.configure(config);
    roles.add(role);
    return role;
  }

  private static Map<String, String> config(String members, boolean bootstrap) {
    Map<String, String> c = new HashMap<>();
    c.put(KvRoleKeys.CLUSTER_NAME, "kv-test-" + ProcessHandle.current().pid());
    c.put(KvRoleKeys.MEMBERS, members);
    c.put(KvRoleKeys.BOOTSTRAP, Boolean.toString(bootstrap));
    c.put(KvRoleKeys.BACKUP_COUNT, "1");
    return c;
  }

  private static int http(KvNodeRole role, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + role.facts().get(KvRoleKeys.PORT)
        + path)).timeout(Duration.ofSeconds(10));
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String get(KvNodeRole role, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + role.facts().get(KvRoleKeys.PORT) + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body();
  }

  @Test
  void membersJoinFromTheListKeepKeysAcrossAGracefulLeaveAndANodeWithoutAListWaits() throws Exception {
    KvNodeRole first = node("n0", config("", true));
    assertThat(first.facts()).containsEntry(KvRoleKeys.MEMBER, "true").containsEntry(KvRoleKeys.CLUSTER_SIZE, "1");
    KvNodeRole idle = node("idle", config("", false));
    assertThat(idle.facts()).containsEntry(KvRoleKeys.WAITING, "true").containsEntry(KvRoleKeys.MEMBER, "false");
    assertThat(get(idle, "/kv/m/k")).startsWith("503");

    String seed = "127.0.0.1:" + first.facts().get(KvRoleKeys.MEMBER_PORT);
    KvNodeRole second = node("n1", config(seed, false));
    // The waiting node joins once the operator's list names a member.
    idle.configure(config(seed, false));
    assertThat(idle.facts()).containsEntry(KvRoleKeys.MEMBER, "true");
    assertThat(second.facts()).containsEntry(KvRoleKeys.CLUSTER_SIZE, "3");

    for (int i = 0; i < 500; i++) {
      assertThat(http(first, "PUT", "/kv/m/key" + i, "value" + i)).isEqualTo(204);
    }
    assertThat(get(second, "/kv/m/key7")).isEqualTo("200 value7");
    assertThat(get(second, "/status")).contains("\"partitions\":71").contains("\"entries\":500");
    assertThat(get(first, "/")).startsWith("200 <!DOCTYPE html>");

    // A graceful leave reports LEAVING until done, and no key is lost.
    idle.leave();
    assertThat(idle.facts()).containsEntry(KvRoleKeys.MEMBER, "false");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!idle.hasLeft() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(idle.hasLeft()).isTrue();
    second.leave();
    while (!second.hasLeft() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(second.hasLeft()).isTrue();
    int missing = 0;
    for (int i = 0; i < 500; i++) {
      if (!get(first, "/kv/m/key" + i).equals("200 value" + i)) {
        missing++;
      }
    }
    assertThat(missing).isZero();
    assertThat(http(first, "DELETE", "/kv/m/key1", null)).isEqualTo(204);
    assertThat(get(first, "/kv/m/key1")).startsWith("404");
    assertThat(get(first, "/kv/bad%20map/k")).startsWith("400");
  }
}
