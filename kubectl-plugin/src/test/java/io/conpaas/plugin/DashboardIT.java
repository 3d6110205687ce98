package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.RegisteredKind;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * The dashboard in a real browser (Debian's headless chromium through chromedriver) against the
 * real API server: {@code kubectl conpaas dashboard} runs as the installed jar, once as the admin
 * and once impersonating a read-only ServiceAccount. No operator runs: the test writes statuses, so
 * that every kind's page can be shown (DashboardOperatorIT runs the real operator, with uploads).
 * Screenshots go to {@code target/dashboard-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
  static final Duration WAIT = Duration.ofSeconds(20);

  static KubernetesClient client;
  static String ns;
  static URI adminUrl;
  static URI viewerUrl;
  static DashboardBrowser dashboards;
  static RemoteWebDriver browser;
  /** The kinds whose minimal service (only spec.application) the API server accepted. */
  static final List<RegisteredKind> everyKind = new ArrayList<>();

  @TempDir
  static Path tmp;

  @BeforeAll
  static void dashboardsAndBrowser() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "dashboard");
    readOnlyRole(client, ns);
    TestObjects.helloWorld(client, ns, "hw", 2);
    TestObjects.helloWorldStatus(client, ns, "hw", "RUNNING", 2, 2, "http://192.0.2.7/");
    TestObjects.agent(client, ns, "hw", "agents", 0, AgentPhase.Running, "i-0abc", "192.0.2.7", "10.0.0.7",
        "172.16.128.2", "local-cloud");
    TestObjects.webService(client, ns, "PhpService", "web", null);
    TestObjects.codeStatus(client, ns, "PhpService", "web", "v2", null,
        TestObjects.version("v1", 100, "2026-12-05T10:00:00Z", "upload"),
        TestObjects.version("v2", 120, "2026-12-05T11:00:00Z", "upload"));
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      if (everyKindService(k)) {
        everyKind.add(k);
      }
    }
    dashboards = DashboardBrowser.start(tmp, WAIT);
    browser = dashboards.driver;
    String kubeconfig = DevCluster.kubeconfig();
    adminUrl = dashboards.dashboard(List.of("--kubeconfig", kubeconfig, "-n", ns));
    viewerUrl = dashboards.dashboard(List.of("--kubeconfig", kubeconfig, "-n", ns, "--as",
        "system:serviceaccount:" + ns + ":viewer"));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (dashboards != null) {
      dashboards.close();
    }
    if (client != null && ns != null) {
      for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
        client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(k.resource())).inNamespace(ns)
            .delete();
      }
      client.rbac().roleBindings().inNamespace(ns).delete();
      client.rbac().roles().inNamespace(ns).delete();
      TestObjects.cleanUp(client, ns);
    }
  }

  @Test
  @Order(1)
  void listShowsTheServicesByApplicationAndUpdatesLiveWithoutReload() throws Exception {
    long start = System.nanoTime();
    browser.get(adminUrl.toString());
    String hw = awaitText(By.cssSelector("tr[data-service='hw']"), "hw");
    System.out.printf("dashboard list loaded in %d ms%n", (System.nanoTime() - start) / 1_000_000);
    assertThat(hw).contains("HelloWorldService").contains("RUNNING").contains("agents 2/2")
        .contains("http://192.0.2.7/");
    assertThat(awaitText(By.cssSelector("tr[data-service='web']"), "web")).contains("PhpService");
    assertThat(browser.getPageSource()).contains("Application demo");
    awaitText(By.id("live"), "live");
    screenshot("dashboard-list");
    ((JavascriptExecutor) browser).executeScript("window.__samePage = 'yes';");

    TestObjects.helloWorld(client, ns, "late", 1);
    TestObjects.helloWorldStatus(client, ns, "hw", "ADAPTING", 2, 3, null);
    awaitElement(By.cssSelector("tr[data-service='late']"));
    awaitText(By.cssSelector("tr[data-service='hw']"), "ADAPTING");
    assertThat(((JavascriptExecutor) browser).executeScript("return window.__samePage;"))
        .as("updated by the watch, not by a reload").isEqualTo("yes");
    TestObjects.helloWorldStatus(client, ns, "hw", "RUNNING", 2, 2, "http://192.0.2.7/");
  }

  @Test
  @Order(2)
  void servicePageShowsRolesInstancesAndScalingWithPlusChangesTheSpec() throws Exception {
    open(adminUrl, "svc/HelloWorldService/hw");
    String agent = awaitText(By.cssSelector("tr[data-agent='hw-agents-0']"), "hw-agents-0");
    assertThat(agent).contains("Running", "i-0abc", "192.0.2.7", "10.0.0.7", "172.16.128.2", "local-cloud");
    awaitElement(By.id("plus-agents"));
    screenshot("dashboard-service");
    long start = System.nanoTime();
    click(By.id("plus-agents"));
    await().atMost(WAIT).until(() -> nodes("hw") == 3);
    awaitText(By.id("ok-scale-agents"), "set to 3");
    System.out.printf("scale click to spec change seen by the test: %d ms%n", (System.nanoTime() - start) / 1_000_000);

    await().atMost(WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class)
        .until(() -> "3".equals(browser.findElement(By.id("nodes-agents")).getAttribute("value")));
    await().atMost(WAIT).ignoreException(org.openqa.selenium.StaleElementReferenceException.class).until(() -> {
      WebElement field = browser.findElement(By.id("nodes-agents"));
      field.clear();
      field.sendKeys("1"); // a live update meanwhile keeps what is typed in the focused field
      return true;
    });
    click(By.id("set-agents"));
    await().atMost(WAIT).until(() -> nodes("hw") == 1);
  }

  @Test
  @Order(3)
  void aReadOnlyUserSeesThePageButIsRefusedScalingWithTheApiServersMessage() throws Exception {
    open(viewerUrl, "svc/HelloWorldService/hw");
    awaitElement(By.cssSelector("tr[data-agent='hw-agents-0']"));
    int before = nodes("hw");
    click(By.id("plus-agents"));
    String error = awaitText(By.id("err-scale-agents"), "Not allowed");
    assertThat(error).contains("forbidden").contains("system:serviceaccount:" + ns + ":viewer")
        .contains("helloworldservices/scale");
    screenshot("dashboard-refused");
    assertThat(nodes("hw")).isEqualTo(before);
  }

  @Test
  @Order(4)
  void anInvalidCreateShowsTheApiServersValidationMessageAndAValidOneCreates() throws Exception {
    open(adminUrl, "create/HelloWorldService");
    awaitElement(By.id("f-name")).sendKeys("fresh");
    WebElement nodes = browser.findElement(By.id("f-agents-nodes"));
    nodes.clear();
    nodes.sendKeys("-2");
    browser.findElement(By.id("create-submit")).click();
    String error = awaitText(By.id("err-create"), "spec.application");
    assertThat(error).contains("Required value").contains("spec.agents.nodes");
    assertThat(service("HelloWorldService", "fresh")).isNull();

    browser.findElement(By.id("f-application")).sendKeys("demo");
    nodes = browser.findElement(By.id("f-agents-nodes"));
    nodes.clear();
    nodes.sendKeys("2");
    browser.findElement(By.id("f-message")).sendKeys("made in the browser");
    browser.findElement(By.id("create-submit")).click();
    await().atMost(WAIT).until(() -> service("HelloWorldService", "fresh") != null);
    GenericKubernetesResource fresh = service("HelloWorldService", "fresh");
    assertThat(fresh.get("spec", "agents", "nodes").toString()).isEqualTo("2");
    assertThat(fresh.<String>get("spec", "message")).isEqualTo("made in the browser");
    awaitText(By.id("svc-head"), "fresh");
  }

  @Test
  @Order(5)
  void stopStartAndTerminateAfterAConfirmationNamingTheService() throws Exception {
    open(adminUrl, "svc/HelloWorldService/fresh");
    click(By.id("stop"));
    await().atMost(WAIT).until(() -> Boolean.TRUE.equals(service("HelloWorldService", "fresh").get("spec", "stopped")));
    click(By.id("start"));
    await().atMost(WAIT).until(() -> Boolean.FALSE.equals(service("HelloWorldService", "fresh").get("spec", "stopped")));
    click(By.id("terminate"));
    awaitText(By.id("confirm-text"), "Terminate HelloWorldService fresh?");
    awaitText(By.id("terminate-confirm"), "Terminate fresh");
    assertThat(service("HelloWorldService", "fresh")).as("nothing deleted before the confirmation").isNotNull();
    click(By.id("terminate-confirm"));
    await().atMost(WAIT).until(() -> service("HelloWorldService", "fresh") == null);
  }

  @Test
  @Order(6)
  void activateRollsBackAndPlusOnAnotherRoleSetsItsNodes() {
    open(adminUrl, "svc/PhpService/web");
    awaitText(By.id("code-active"), "v2");
    click(By.id("rollback")); // no operator: the spec changes, the status stays
    await().atMost(WAIT).until(() -> "v1".equals(service("PhpService", "web").get("spec", "code", "activeVersion")));

    click(By.id("plus-proxy")); // a role other than the scale role: a merge patch of spec.proxy.nodes
    await().atMost(WAIT).until(() -> "2".equals(String.valueOf((Object) service("PhpService", "web").get("spec", "proxy", "nodes"))));
  }

  @Test
  @Order(9)
  void aMysqlPasswordResetFromThePageGoesIntoTheServicesSecretAndTheMasterIsFixed() throws Exception {
    open(adminUrl, "svc/MysqlService/every-mysql");
    assertThat(awaitText(By.cssSelector("#svc-roles tr[data-role='master']"), "fixed"))
        .contains("exactly one master");
    awaitElement(By.id("password-new")).sendKeys("s3cret-from-the-page");
    browser.findElement(By.id("password-again")).sendKeys("s3cret-from-the-page");
    click(By.id("password-submit"));
    awaitText(By.id("ok-password"), "password set in Secret every-mysql-mysql");
    io.fabric8.kubernetes.api.model.Secret secret = client.secrets().inNamespace(ns).withName("every-mysql-mysql").get();
    assertThat(new String(java.util.Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8))
        .isEqualTo("s3cret-from-the-page");
    assertThat(browser.getPageSource()).doesNotContain("s3cret-from-the-page");
  }

  @Test
  @Order(7)
  void everyRegisteredKindGetsItsCreateFormAndServicePage() throws Exception {
    List<String> problems = new ArrayList<>();
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      open(adminUrl, "create/" + k.kind());
      awaitElement(By.id("f-application"));
      for (String role : k.roles()) {
        if (browser.findElements(By.id("f-" + role + "-nodes")).isEmpty()) {
          problems.add(k.kind() + " create form lacks " + role + ".nodes");
        }
      }
      if (!everyKind.contains(k)) {
        continue;
      }
      open(adminUrl, "svc/" + k.kind() + "/every-" + k.type());
      awaitElement(By.cssSelector("#svc-roles tr[data-role='" + k.scaleRole() + "']"));
      for (String role : k.roles()) {
        if (browser.findElements(By.cssSelector("#svc-roles tr[data-role='" + role + "']")).isEmpty()) {
          problems.add(k.kind() + " page lacks role " + role);
        }
      }
      Object errors = ((JavascriptExecutor) browser).executeScript(
          "return [...document.querySelectorAll('.error')].map(e => e.textContent).filter(t => t.trim());");
      if (errors instanceof List<?> l && !l.isEmpty()) {
        problems.add(k.kind() + " page shows errors: " + l);
      }
    }
    assertThat(problems).isEmpty();
    assertThat(everyKind).as("kinds whose page was shown").contains(KindRegistry.byKind("PhpService").orElseThrow(),
        KindRegistry.byKind("MysqlService").orElseThrow());
  }

  @Test
  @Order(8)
  void requestsWithoutTheTokenFromAnotherHostOrOriginAreRefused() throws Exception {
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    String base = "http://127.0.0.1:" + adminUrl.getPort();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/services?ns=" + ns)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).as("no token").isEqualTo(401);
    HttpResponse<String> enter = http.send(HttpRequest.newBuilder(adminUrl).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(enter.statusCode()).isEqualTo(303);
    String cookie = enter.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict");
    String pair = cookie.substring(0, cookie.indexOf(';'));
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/services?ns=" + ns)).header("Cookie", pair)
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("with the cookie").isEqualTo(200);
    String scale = "{\"ns\":\"" + ns + "\",\"kind\":\"HelloWorldService\",\"name\":\"hw\",\"role\":\"agents\",\"nodes\":7}";
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/scale")).header("Cookie", pair)
        .header("Origin", "http://evil.example").POST(HttpRequest.BodyPublishers.ofString(scale)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).as("cross-site write").isEqualTo(403);
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/scale")).header("Cookie", pair)
        .POST(HttpRequest.BodyPublishers.ofString(scale)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode()).as("write without Origin").isEqualTo(403);
    // A DNS-rebinding page reaches 127.0.0.1 under its own name: the Host header tells.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", adminUrl.getPort())) {
      s.getOutputStream().write(("GET /api/services?ns=" + ns + " HTTP/1.1\r\nHost: rebind.example:" + adminUrl.getPort()
          + "\r\nCookie: " + pair + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
      assertThat(status).contains(" 421 ");
    }
    assertThat(nodes("hw")).isEqualTo(1);
  }

  // ---- set-up ----

  /** Role conpaas-viewer (get, list, watch of every ConPaaS resource and Events) bound to ServiceAccount viewer. */
  static void readOnlyRole(KubernetesClient client, String ns) {
    List<String> resources = new ArrayList<>(List.of("agents", "creditaccounts", "applications"));
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      resources.add(k.plural());
      resources.add(k.plural() + "/scale");
    }
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("conpaas-viewer")
        .endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources(resources)
                .withVerbs("get", "list", "watch").build(),
            new PolicyRuleBuilder().withApiGroups("").withResources("events").withVerbs("get", "list", "watch").build())
        .build()).create();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("conpaas-viewer").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("conpaas-viewer")
        .endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("viewer").withNamespace(ns).endSubject()
        .build()).create();
  }

  /** A service of kind {@code k} named every-TYPE, with only the application set (as a kind added later would be). */
  private static boolean everyKindService(RegisteredKind k) {
    GenericKubernetesResource o = new GenericKubernetesResource();
    o.setApiVersion(io.conpaas.api.v1alpha1.ApiConstants.API_VERSION);
    o.setKind(k.kind());
    o.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("every-" + k.type())
        .withNamespace(ns).build());
    o.setAdditionalProperty("spec", Map.of("application", "every-kind"));
    try {
      client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(k.resource())).inNamespace(ns)
          .resource(o).create();
      return true;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      System.out.println(k.kind() + " needs more than spec.application: " + e.getMessage());
      return false;
    }
  }

  // ---- helpers ----

  private static void open(URI entry, String route) {
    dashboards.open(entry, ns, route);
  }

  private static void click(By by) {
    dashboards.click(by);
  }

  private static WebElement awaitElement(By by) {
    return dashboards.element(by);
  }

  private static String awaitText(By by, String text) {
    return dashboards.text(by, text);
  }

  private static int nodes(String name) {
    Object n = TestObjects.hello(client, ns, name).get().get("spec", "agents", "nodes");
    return ((Number) n).intValue();
  }

  private static GenericKubernetesResource service(String kind, String name) {
    RegisteredKind k = KindRegistry.byKind(kind).orElseThrow();
    return client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(k.resource())).inNamespace(ns)
        .withName(name).get();
  }

  private static void screenshot(String name) throws IOException {
    dashboards.screenshot(name);
  }
}
