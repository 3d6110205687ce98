package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.PhpServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The dashboard in a real browser against the real API server AND the real operator (its jar as a
 * process, a local Cloud starting real agents: nginx, php-fpm): a running HelloWorldService and
 * PhpService are listed; + on the PHP backend role makes a new Agent appear and the service go
 * ADAPTING → RUNNING on the page; a zip uploaded through the page and activated changes what the
 * proxy serves; stop/start; terminate after confirmation; a read-only impersonated user sees the
 * pages and is refused scaling with the API server's message. Screenshots go to
 * {@code target/dashboard-screenshots/operator-*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardOperatorIT {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Duration AGENTS = Duration.ofSeconds(120);
  static final String APP = "shop-app";

  @TempDir
  static Path tmp;

  static KubernetesClient client;
  static String ns;
  static String cloud;
  static Path workDir;
  static OperatorProcess operator;
  static DashboardBrowser browser;
  static URI adminUrl;
  static URI viewerUrl;

  @BeforeAll
  static void operatorServicesDashboardsAndBrowser() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "dash-op");
    cloud = "dash-op-" + ns;
    // Agents may run as root here, so their servers drop to other accounts, which must reach the VM dirs.
    workDir = Files.createDirectories(tmp.resolve("operator"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    DashboardIT.readOnlyRole(client, ns);
    operator = OperatorProcess.start(workDir, Map.of("CONPAAS_NAMESPACES", ns,
        "CONPAAS_LOCAL_AGENT_JAR", DevCluster.repoRoot().resolve("agent-runtime/target/conpaas-agent.jar").toString(),
        "CONPAAS_AGENT_HEALTH_TIMEOUT", "60s"));
    client.resource(LocalCloudObjects.localCloud(cloud, workDir.resolve("local"))).create();
    client.resource(LocalCloudObjects.application(ns, APP, cloud)).create();
    client.resource(helloWorld(ns, "hw")).create();
    client.resource(php(ns, "shop")).create();
    browser = DashboardBrowser.start(tmp, WAIT);
    String kubeconfig = DevCluster.kubeconfig();
    adminUrl = browser.dashboard(List.of("--kubeconfig", kubeconfig, "-n", ns));
    viewerUrl = browser.dashboard(List.of("--kubeconfig", kubeconfig, "-n", ns, "--as",
        "system:serviceaccount:" + ns + ":viewer"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (client == null) {
      return;
    }
    // Services go while the operator still runs, so that their agents (VMs of the local Cloud) go too.
    client.resources(HelloWorldService.class).inNamespace(ns).delete();
    client.resources(PhpService.class).inNamespace(ns).delete();
    if (operator != null) {
      try {
        await().atMost(Duration.ofSeconds(90)).until(() ->
            client.resources(Agent.class).inNamespace(ns).list().getItems().isEmpty());
      } finally {
        operator.close();
      }
    }
    client.resources(Cloud.class).withName(cloud).delete();
    client.rbac().roleBindings().inNamespace(ns).delete();
    client.rbac().roles().inNamespace(ns).delete();
    TestObjects.cleanUp(client, ns);
  }

  @Test
  @Order(1)
  void theListShowsTheRunningHelloWorldAndPhpServices() throws Exception {
    browser.open(adminUrl, ns, "");
    String hw = browser.text(By.cssSelector("tr[data-service='hw']"), "RUNNING", AGENTS);
    assertThat(hw).contains("HelloWorldService").contains("agents 1/1");
    String shop = browser.text(By.cssSelector("tr[data-service='shop']"), "RUNNING", AGENTS);
    assertThat(shop).contains("PhpService").contains("backend 1/1").contains("http://127.0.0.1:");
    assertThat(browser.driver.getPageSource()).contains("Application " + APP);
    System.out.println("screenshot: " + browser.screenshot("operator-dashboard-list"));
  }

  @Test
  @Order(2)
  void aReadOnlyUserSeesThePagesAndIsRefusedScalingWithTheApiServersMessage() throws Exception {
    browser.open(viewerUrl, ns, "");
    browser.text(By.cssSelector("tr[data-service='shop']"), "RUNNING");
    browser.open(viewerUrl, ns, "svc/PhpService/shop");
    browser.text(By.cssSelector("tr[data-agent='shop-backend-0']"), "Running");
    browser.click(By.id("plus-backend"));
    String error = browser.text(By.id("err-scale-backend"), "Not allowed");
    assertThat(error).contains("forbidden").contains("system:serviceaccount:" + ns + ":viewer")
        .contains("phpservices/scale");
    assertThat(php().getSpec().getBackend().getNodes()).isEqualTo(1);
  }

  @Test
  @Order(3)
  void plusOnTheBackendRoleAddsAnAgentThatTurnsRunningAndTheServiceGoesAdaptingThenRunning() throws Exception {
    browser.open(adminUrl, ns, "svc/PhpService/shop");
    browser.text(By.cssSelector("#svc-head .state"), "RUNNING");
    browser.text(By.cssSelector("tr[data-agent='shop-backend-0']"), "Running");
    // Every state the page's header shows from now on, as the live updates render it.
    browser.script("window.__states = [];"
        + "const head = document.getElementById('svc-head');"
        + "new MutationObserver(() => { const s = head.querySelector('.state');"
        + "  if (s && window.__states[window.__states.length - 1] !== s.textContent) window.__states.push(s.textContent); })"
        + ".observe(head, { childList: true, subtree: true, characterData: true });");
    long start = System.nanoTime();
    browser.click(By.id("plus-backend"));
    browser.text(By.id("ok-scale-backend"), "set to 2");
    String row = browser.text(By.cssSelector("tr[data-agent='shop-backend-1']"), "Running", AGENTS);
    long runningMs = (System.nanoTime() - start) / 1_000_000;
    browser.text(By.cssSelector("#svc-head .state"), "RUNNING", AGENTS);
    System.out.printf("scale click to the new Agent shown Running: %d ms%n", runningMs);
    assertThat(row).contains("backend").contains(cloud);
    @SuppressWarnings("unchecked")
    List<String> states = (List<String>) browser.script("return window.__states;");
    assertThat(states).as("states the page showed after the click").contains("ADAPTING").last().isEqualTo("RUNNING");
    assertThat(states.indexOf("ADAPTING")).isLessThan(states.lastIndexOf("RUNNING"));
    assertThat(php().getSpec().getBackend().getNodes()).isEqualTo(2);
    System.out.println("screenshot: " + browser.screenshot("operator-dashboard-service"));
  }

  @Test
  @Order(4)
  void aZipUploadedThroughThePageAndActivatedChangesWhatTheProxyServes() throws Exception {
    String endpoint = php().getStatus().getEndpoints().get(0).getUrl();
    String marker = "served-from-the-dashboard-" + ns;
    assertThat(get(endpoint + "index.php")).doesNotContain(marker);
    Path zip = zip(tmp.resolve("site.zip"), "index.php", "<?php echo '" + marker + "';");
    browser.open(adminUrl, ns, "svc/PhpService/shop");
    browser.element(By.id("code-active"));
    browser.element(By.id("upload-file")).sendKeys(zip.toString());
    checkActivate();
    browser.click(By.id("upload-submit"));
    browser.text(By.id("ok-upload"), "uploaded v1");
    browser.text(By.id("code-active"), "v1", AGENTS);
    await().atMost(AGENTS).until(() -> get(endpoint + "index.php").contains(marker));
    // The page links the same endpoint.
    assertThat(browser.attribute(By.cssSelector("#svc-endpoints a"), "href")).isEqualTo(endpoint);

    // A second version, then the page's roll-back button: the proxy serves v1 again.
    Path v2 = zip(tmp.resolve("site2.zip"), "index.php", "<?php echo 'version two';");
    browser.element(By.id("upload-file")).sendKeys(v2.toString());
    checkActivate();
    browser.click(By.id("upload-submit"));
    browser.text(By.id("ok-upload"), "uploaded v2");
    await().atMost(AGENTS).until(() -> get(endpoint + "index.php").contains("version two"));
    browser.text(By.id("code-active"), "v2", AGENTS);
    browser.click(By.id("rollback"));
    await().atMost(AGENTS).until(() -> get(endpoint + "index.php").contains(marker));
    browser.text(By.id("code-active"), "v1", AGENTS);
  }

  @Test
  @Order(5)
  void stopAndStartFromThePage() {
    browser.open(adminUrl, ns, "svc/HelloWorldService/hw");
    browser.text(By.cssSelector("#svc-head .state"), "RUNNING", AGENTS);
    browser.click(By.id("stop"));
    browser.text(By.cssSelector("#svc-head .state"), "STOPPED", AGENTS);
    await().atMost(AGENTS).until(() -> client.resources(Agent.class).inNamespace(ns)
        .withLabel(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE, "hw").list().getItems().isEmpty());
    browser.element(By.id("start"));
    browser.click(By.id("start"));
    browser.text(By.cssSelector("#svc-head .state"), "RUNNING", AGENTS);
    browser.text(By.cssSelector("tr[data-agent='hw-agents-0']"), "Running", AGENTS);
    assertThat(client.resources(HelloWorldService.class).inNamespace(ns).withName("hw").get().getStatus().getState())
        .isEqualTo(ServiceState.RUNNING);
  }

  @Test
  @Order(6)
  void terminateAfterAConfirmationNamingTheServiceDeletesItAndItsAgents() {
    browser.open(adminUrl, ns, "svc/HelloWorldService/hw");
    browser.element(By.cssSelector("tr[data-agent='hw-agents-0']"));
    browser.click(By.id("terminate"));
    browser.text(By.id("confirm-text"), "Terminate HelloWorldService hw?");
    assertThat(client.resources(HelloWorldService.class).inNamespace(ns).withName("hw").get())
        .as("nothing deleted before the confirmation").isNotNull();
    browser.click(By.id("terminate-confirm"));
    await().atMost(AGENTS).until(() -> client.resources(HelloWorldService.class).inNamespace(ns).withName("hw")
        .get() == null);
    assertThat(client.resources(Agent.class).inNamespace(ns).withLabel(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE, "hw").list().getItems())
        .isEmpty();
    browser.open(adminUrl, ns, "");
    browser.element(By.cssSelector("tr[data-service='shop']"));
    await().atMost(WAIT).until(() -> browser.driver.findElements(By.cssSelector("tr[data-service='hw']")).isEmpty());
  }

  // ---- helpers ----

  private static void checkActivate() {
    if (!browser.element(By.id("upload-activate")).isSelected()) {
      browser.click(By.id("upload-activate"));
    }
  }

  private static PhpService php() {
    return client.resources(PhpService.class).inNamespace(ns).withName("shop").get();
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private static Path zip(Path file, String name, String content) throws IOException {
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content.getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
    return file;
  }

  private static HelloWorldService helloWorld(String namespace, String name) {
    HelloWorldService s = new HelloWorldService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    HelloWorldServiceSpec spec = new HelloWorldServiceSpec();
    spec.setApplication(APP);
    spec.setAgents(new ScaleRoleSpec(1));
    s.setSpec(spec);
    return s;
  }

  private static PhpService php(String namespace, String name) {
    PhpService s = new PhpService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    PhpServiceSpec spec = new PhpServiceSpec();
    spec.setApplication(APP);
    spec.setBackend(new ScaleRoleSpec(1));
    spec.setWeb(new RoleSpec(1));
    spec.setProxy(new RoleSpec(1));
    s.setSpec(spec);
    return s;
  }
}
