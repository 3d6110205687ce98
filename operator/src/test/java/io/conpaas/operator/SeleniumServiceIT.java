package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Endpoint;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.SeleniumService;
import io.conpaas.api.v1alpha1.SeleniumServiceSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.OperatedWorld;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * SeleniumService end to end on the local cloud: a real operator, agents running a Grid hub and
 * two Chromium nodes; RemoteWebDriver opens the page of a PhpService of the same application
 * through the Grid, and scaling the nodes 2 -> 1 while a session runs on the leaving node lets
 * that session finish (the node drains; its VM goes only once the session ended).
 */
class SeleniumServiceIT {
  private static final Duration SETTLE = Duration.ofSeconds(180);
  private static final String APP = "tests";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path workDir;

  static OperatedWorld world;
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void startOperator() {
    world = OperatedWorld.start("selenium", APP, workDir);
    client = world.client();
    ns = world.namespace();
  }

  @AfterAll
  static void stopOperator() {
    world.stop(SETTLE, SeleniumService.class, PhpService.class);
  }

  @Test
  void browsersOnTheGridOpenTheApplicationsPageAndScalingDownLetsARunningSessionFinish() throws Exception {
    client.resource(Fixtures.php(ns, "site", APP, 1)).create();
    client.resource(grid("grid", 2)).create();
    long t0 = System.nanoTime();
    awaitRunning(() -> client.resources(PhpService.class).inNamespace(ns).withName("site").get(), 1);
    awaitRunning(() -> service("grid"), 2);
    System.out.printf("selenium: hub + 2 nodes and the PHP service RUNNING in %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
    String gridUrl = endpoint("grid", "grid");
    assertThat(endpoint("grid", "console")).isEqualTo(gridUrl + "ui/");
    String page = client.resources(PhpService.class).inNamespace(ns).withName("site").get().getStatus()
        .getEndpoints().get(0).getUrl();

    // One session per node (one slot each): the Grid spreads them over both.
    RemoteWebDriver first = browser(gridUrl);
    RemoteWebDriver second = browser(gridUrl);
    try {
      for (RemoteWebDriver driver : List.of(first, second)) {
        driver.get(page);
        assertThat(driver.getTitle()).isEqualTo("ConPaaS");
        assertThat(driver.findElement(By.tagName("h1")).getText()).startsWith("ConPaaS ");
      }
      String leavingPort = agent("grid-nodes-1").getStatus().getFacts().get("port");
      RemoteWebDriver onLeaving = nodeUri(gridUrl, first).endsWith(":" + leavingPort) ? first : second;
      RemoteWebDriver onKept = onLeaving == first ? second : first;
      assertThat(nodeUri(gridUrl, onLeaving)).endsWith(":" + leavingPort);
      assertThat(nodeUri(gridUrl, onKept)).doesNotEndWith(":" + leavingPort);

      // 2 -> 1 while a test runs on nodes-1: the node drains, its session goes on, its VM stays.
      long s0 = System.nanoTime();
      scale("grid", 1);
      await().atMost(Duration.ofSeconds(30)).until(() -> agent("grid-nodes-1") == null
          || agent("grid-nodes-1").getMetadata().getDeletionTimestamp() != null);
      for (int i = 0; i < 10; i++) {
        Thread.sleep(1000);
        onLeaving.get(page + "?step=" + i);
        assertThat(onLeaving.getTitle()).isEqualTo("ConPaaS");
        assertThat(agent("grid-nodes-1")).as("nodes-1 is kept while its session runs").isNotNull();
      }
      assertThat(client.v1().events().inNamespace(ns).list().getItems())
          .filteredOn(e -> "RoleLeaving".equals(e.getReason()))
          .extracting(e -> e.getInvolvedObject().getName()).contains("grid-nodes-1");
      long s1 = System.nanoTime();
      onLeaving.quit();
      await().atMost(Duration.ofSeconds(60)).until(() -> agent("grid-nodes-1") == null);
      System.out.printf("selenium: nodes-1 drained for %d ms while its session ran, released %d ms after it "
          + "ended%n", (s1 - s0) / 1_000_000, (System.nanoTime() - s1) / 1_000_000);
      awaitRunning(() -> service("grid"), 1);
      // The other node's session was never touched.
      onKept.get(page);
      assertThat(onKept.getTitle()).isEqualTo("ConPaaS");
    } finally {
      quietly(first);
      quietly(second);
    }
  }

  @Test
  void aSeleniumServiceHasExactlyOneHub() {
    SeleniumService two = grid("grid-two-hubs", 1);
    two.getSpec().setHub(new RoleSpec(2));
    assertThatThrownBy(() -> client.resource(two).create())
        .hasMessageContaining("a Selenium service has exactly one hub");
  }

  private static RemoteWebDriver browser(String gridUrl) throws Exception {
    return new RemoteWebDriver(new URL(gridUrl), new ChromeOptions());
  }

  private static void quietly(RemoteWebDriver driver) {
    try {
      driver.quit();
    } catch (RuntimeException alreadyGone) {
      // quit() of a session that ended already
    }
  }

  /** The URI of the node the session runs on, from the hub's /status. */
  private static String nodeUri(String gridUrl, RemoteWebDriver driver) throws Exception {
    String id = driver.getSessionId().toString();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(gridUrl + "status"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    for (JsonNode node : JSON.readTree(r.body()).path("value").path("nodes")) {
      for (JsonNode slot : node.path("slots")) {
        if (id.equals(slot.path("session").path("sessionId").asText())) {
          return node.path("uri").asText();
        }
      }
    }
    throw new AssertionError("session " + id + " is on no node: " + r.body());
  }

  private static SeleniumService grid(String name, int nodes) {
    SeleniumService s = new SeleniumService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    SeleniumServiceSpec spec = new SeleniumServiceSpec();
    spec.setApplication(APP);
    spec.setNodes(new ScaleRoleSpec(nodes));
    s.setSpec(spec);
    return s;
  }

  private static SeleniumService service(String name) {
    return client.resources(SeleniumService.class).inNamespace(ns).withName(name).get();
  }

  private static void scale(String name, int nodes) {
    client.resources(SeleniumService.class).inNamespace(ns).withName(name)
        .edit(s -> { s.getSpec().getNodes().setNodes(nodes); return s; });
  }

  private static String endpoint(String service, String name) {
    return service(service).getStatus().getEndpoints().stream().filter(e -> e.getName().equals(name))
        .map(Endpoint::getUrl).findFirst().orElseThrow(() -> new AssertionError("no endpoint " + name));
  }

  private static Agent agent(String name) {
    return client.resources(Agent.class).inNamespace(ns).withName(name).get();
  }

  private static <S extends HasMetadata> void awaitRunning(Supplier<S> read, int replicas) {
    await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      S s = read.get();
      ServiceStatus st = (ServiceStatus) s.getClass().getMethod("getStatus").invoke(s);
      assertThat(st).isNotNull();
      assertThat(st.getState()).as(st.getMessage()).isEqualTo(ServiceState.RUNNING);
      assertThat(st.getReplicas()).isEqualTo(replicas);
      assertThat(st.getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(st.getEndpoints()).isNotEmpty();
    });
  }
}
