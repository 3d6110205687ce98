package io.conpaas.agent.selenium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.api.SeleniumRoleKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub and node (Grid JVMs, Debian's chromium) driven through the roles: the node registers
 * from its configuration, runs a headless session, and on leave drains: the running session
 * keeps working, the node takes no new one, and the role reports "left" only after that session ended.
 */
class SeleniumRolesTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SeleniumHubRole hub = new SeleniumHubRole();
  private final SeleniumNodeRole node = new SeleniumNodeRole();

  @TempDir
  Path dir;

  @AfterEach
  void stopAll() {
    node.stop();
    hub.stop();
  }

  @Test
  void aNodeRegistersRunsAHeadlessSessionAndDrainsWithoutKillingIt() throws Exception {
    // As root the Grid runs as www-data, which must reach the role directories.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    hub.init(new RoleContext("grid-hub-0", dir.resolve("hub"), "127.0.0.1"));
    hub.configure(Map.of());
    Map<String, String> hubFacts = hub.facts();
    String grid = "http://127.0.0.1:" + hubFacts.get(SeleniumRoleKeys.PORT);

    node.init(new RoleContext("grid-nodes-0", dir.resolve("node"), "127.0.0.1"));
    node.configure(Map.of());
    assertThat(node.facts()).containsEntry(SeleniumRoleKeys.WAITING, "true");
    node.configure(Map.of(SeleniumRoleKeys.HUB_HOST, "127.0.0.1",
        SeleniumRoleKeys.HUB_PORT, hubFacts.get(SeleniumRoleKeys.PORT),
        SeleniumRoleKeys.HUB_PUBLISH_PORT, hubFacts.get(SeleniumRoleKeys.PUBLISH_PORT),
        SeleniumRoleKeys.HUB_SUBSCRIBE_PORT, hubFacts.get(SeleniumRoleKeys.SUBSCRIBE_PORT)));
    await(() -> "true".equals(node.facts().get(SeleniumRoleKeys.REGISTERED)), 60);

    String session = newSession(grid);
    assertThat(session).isNotNull();
    post(grid + "/session/" + session + "/url", "{\"url\": \"data:text/html,<title>drain me</title>\"}");
    assertThat(title(grid, session)).isEqualTo("drain me");
    await(() -> "1".equals(node.facts().get(SeleniumRoleKeys.ACTIVE_SESSIONS)), 10);

    node.leave();
    assertThat(node.hasLeft()).isFalse();
    assertThat(node.facts()).containsEntry(SeleniumRoleKeys.DRAINING, "true")
        .containsEntry(SeleniumRoleKeys.REGISTERED, "false");
    // The session lives on while the node drains; the role does not say "left" meanwhile.
    for (int i = 0; i < 5; i++) {
      Thread.sleep(1000);
      assertThat(title(grid, session)).isEqualTo("drain me");
      assertThat(node.hasLeft()).isFalse();
    }
    HTTP.send(HttpRequest.newBuilder(URI.create(grid + "/session/" + session)).DELETE()
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    await(node::hasLeft, 30);
    assertThat(node.facts()).containsEntry(SeleniumRoleKeys.DRAINING, "false");
  }

  @Test
  void anIdleNodeLeavesAtOnceEvenWhenItsHubIsGone() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    hub.init(new RoleContext("grid-hub-0", dir.resolve("hub"), "127.0.0.1"));
    hub.configure(Map.of());
    Map<String, String> hubFacts = hub.facts();
    node.init(new RoleContext("grid-nodes-0", dir.resolve("node"), "127.0.0.1"));
    node.configure(Map.of(SeleniumRoleKeys.HUB_HOST, "127.0.0.1",
        SeleniumRoleKeys.HUB_PORT, hubFacts.get(SeleniumRoleKeys.PORT),
        SeleniumRoleKeys.HUB_PUBLISH_PORT, hubFacts.get(SeleniumRoleKeys.PUBLISH_PORT),
        SeleniumRoleKeys.HUB_SUBSCRIBE_PORT, hubFacts.get(SeleniumRoleKeys.SUBSCRIBE_PORT)));
    await(() -> "true".equals(node.facts().get(SeleniumRoleKeys.REGISTERED)), 60);

    // The service is deleted: the hub goes first; Grid's own drain would wait for the hub's event bus.
    hub.stop();
    node.leave();
    await(node::hasLeft, 15);
  }

  private static String tail(Path log) throws Exception {
    if (!Files.exists(log)) {
      return "(none)";
    }
    var lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static String newSession(String grid) throws Exception {
    String answer = post(grid + "/session", "{\"capabilities\": {\"alwaysMatch\": {\"browserName\": \"chrome\"}}}");
    return JSON.readTree(answer).path("value").path("sessionId").asText(null);
  }

  private static String title(String grid, String session) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(grid + "/session/" + session + "/title"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body()).path("value").asText();
  }

  private static String post(String url, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private void await(BooleanSupplier condition, int seconds) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + seconds + " s; node " + node.facts() + "\nhub log:\n"
            + tail(dir.resolve("hub/hub/grid/logs/hub.log")) + "\nnode log:\n"
            + tail(dir.resolve("node/nodes/grid/logs/node.log")));
      }
      Thread.sleep(200);
    }
  }
}
