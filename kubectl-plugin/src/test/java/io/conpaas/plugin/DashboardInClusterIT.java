package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.remote.Augmenter;

/**
 * The in-cluster mode (the chart's dashboard.enabled) as the chart runs it: {@code dashboard --in-cluster}
 * with no credentials of its own, every request acting with the bearer token it carries (as an
 * authenticating proxy would put it there). The process gets the admin's KUBECONFIG in its environment on
 * purpose: it must never use it. A read-only ServiceAccount's token sees the pages (in a real browser too)
 * and is refused scaling with the API server's message; an editor's token scales; no token or a token the
 * API server rejects gets 401.
 */
class DashboardInClusterIT {
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  static Path tmp;

  static KubernetesClient client;
  static String ns;
  static Process server;
  static String base;
  static String viewerToken;
  static String editorToken;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void serverAndTokens() throws Exception {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "dash-incluster");
    DashboardIT.readOnlyRole(client, ns);
    editorRole();
    TestObjects.helloWorld(client, ns, "hw", 1);
    TestObjects.helloWorldStatus(client, ns, "hw", "RUNNING", 1, 1, "http://192.0.2.9/");
    viewerToken = token("viewer");
    editorToken = token("editor");
    Path ca = Files.write(tmp.resolve("ca.crt"), Base64.getDecoder().decode(client.getConfiguration().getCaCertData()));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        DashboardBrowser.JAR.toString(), "dashboard", "--in-cluster", "--listen", "127.0.0.1:0",
        "--api-server", client.getConfiguration().getMasterUrl(), "--ca-file", ca.toString(), "-n", ns)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    // Credentials it could fall back to, were it to look for any: the admin's kubeconfig.
    pb.environment().put("KUBECONFIG", DevCluster.kubeconfig());
    server = pb.start();
    String line = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
    assertThat(line).as("the server's first line").isNotNull().startsWith("In-cluster dashboard on 127.0.0.1:");
    int port = Integer.parseInt(line.replaceAll("^In-cluster dashboard on 127\\.0\\.0\\.1:(\\d+) .*$", "$1"));
    base = "http://127.0.0.1:" + port;
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    if (client != null) {
      TestObjects.hello(client, ns, "hw").delete();
      client.rbac().roleBindings().inNamespace(ns).delete();
      client.rbac().roles().inNamespace(ns).delete();
      TestObjects.cleanUp(client, ns);
    }
  }

  @Test
  void withoutATokenEveryPathIs401AndATokenTheApiServerRejectsIsToo() throws Exception {
    for (String path : List.of("/", "/app.js", "/api/session", "/api/services?ns=" + ns)) {
      HttpResponse<String> r = send(get(path));
      assertThat(r.statusCode()).as(path).isEqualTo(401);
      assertThat(r.body()).contains("No bearer token");
    }
    HttpResponse<String> scale = send(scale(null, 5));
    assertThat(scale.statusCode()).isEqualTo(401);
    HttpResponse<String> forged = send(get("/api/services?ns=" + ns).header("Authorization", "Bearer not-a-token"));
    assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
    assertThat(forged.body()).contains("did not accept your credentials");
    assertThat(nodes()).isEqualTo(1);
  }

  @Test
  void aReadOnlyTokenSeesThePagesAndIsRefusedScalingWithTheApiServersMessage() throws Exception {
    HttpResponse<String> page = send(get("/").header("Authorization", "Bearer " + viewerToken));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<script");
    HttpResponse<String> list = send(get("/api/services?ns=" + ns).header("Authorization", "Bearer " + viewerToken));
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    assertThat(list.body()).contains("\"name\":\"hw\"").contains("RUNNING");
    // oauth2-proxy's --pass-access-token header works the same way.
    assertThat(send(get("/api/services?ns=" + ns).header("X-Forwarded-Access-Token", viewerToken)).statusCode())
        .isEqualTo(200);

    HttpResponse<String> refused = send(scale(viewerToken, 3));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("Not allowed").contains("forbidden")
        .contains("system:serviceaccount:" + ns + ":viewer").contains("helloworldservices/scale");
    assertThat(nodes()).isEqualTo(1);
  }

  @Test
  void anEditorsTokenScalesAndACrossSiteWriteWithItIsRefused() throws Exception {
    HttpResponse<String> cross = send(HttpRequest.newBuilder(URI.create(base + "/api/scale"))
        .header("Authorization", "Bearer " + editorToken).header("Origin", "https://evil.example")
        .POST(HttpRequest.BodyPublishers.ofString(scaleBody(4))));
    assertThat(cross.statusCode()).isEqualTo(403);
    assertThat(nodes()).isEqualTo(1);

    HttpResponse<String> ok = send(scale(editorToken, 2));
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    await().atMost(WAIT).until(() -> nodes() == 2);
    TestObjects.hello(client, ns, "hw").edit(s -> {
      ((Map<String, Object>) s.getAdditionalProperties().get("spec")).put("agents", Map.of("nodes", 1));
      return s;
    });
  }

  @Test
  void inABrowserTheReadOnlyTokenSeesTheServicePageAndTheRefusalNextToThePlusButton() throws Exception {
    try (DashboardBrowser browser = DashboardBrowser.start(tmp, WAIT)) {
      // What the authenticating proxy does: the user's token on every request of the page.
      HasCdp cdp = (HasCdp) new Augmenter().augment(browser.driver);
      cdp.executeCdpCommand("Network.enable", Map.of());
      cdp.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers",
          Map.of("Authorization", "Bearer " + viewerToken)));
      browser.driver.get(base + "/#/ns/" + ns + "/svc/HelloWorldService/hw");
      browser.text(By.cssSelector("#svc-head .state"), "RUNNING");
      browser.element(By.id("live"));
      browser.click(By.id("plus-agents"));
      String error = browser.text(By.id("err-scale-agents"), "Not allowed");
      assertThat(error).contains("system:serviceaccount:" + ns + ":viewer").contains("helloworldservices/scale");
      System.out.println("screenshot: " + browser.screenshot("in-cluster-refused"));
    }
    assertThat(nodes()).isEqualTo(1);
  }

  // ---- helpers ----

  private static void editorRole() {
    client.rbac().roles().inNamespace(ns).resource(new RoleBuilder().withNewMetadata().withName("conpaas-editor")
        .endMetadata().withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io")
            .withResources("helloworldservices", "helloworldservices/scale").withVerbs("get", "list", "watch", "patch",
                "update").build()).build()).create();
    client.rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder().withNewMetadata()
        .withName("conpaas-editor").endMetadata()
        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("conpaas-editor")
        .endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("editor").withNamespace(ns).endSubject()
        .build()).create();
  }

  /** A short-lived token of ServiceAccount {@code name} (created here), from the TokenRequest API. */
  private static String token(String name) {
    client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
    return client.serviceAccounts().inNamespace(ns).withName(name).tokenRequest(new TokenRequestBuilder()
        .withNewSpec().withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
  }

  private static int nodes() {
    return ((Number) TestObjects.hello(client, ns, "hw").get().get("spec", "agents", "nodes")).intValue();
  }

  private static HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT);
  }

  private static String scaleBody(int nodes) {
    return "{\"ns\":\"" + ns + "\",\"kind\":\"HelloWorldService\",\"name\":\"hw\",\"role\":\"agents\",\"nodes\":"
        + nodes + "}";
  }

  private static HttpRequest.Builder scale(String token, int nodes) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/scale")).timeout(WAIT)
        .header("Origin", base).POST(HttpRequest.BodyPublishers.ofString(scaleBody(nodes)));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unused")
  private static List<String> none() {
    return new ArrayList<>();
  }
}
