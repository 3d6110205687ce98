package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.CodeUploads;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.operator.testing.WebLoad;
import io.conpaas.operator.testing.WebServiceSteps;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * PHP web hosting end to end on real nginx and php-fpm agents of the local cloud: code versions
 * uploaded through the Kubernetes-authorized path, activation and rollback, shared sessions,
 * debug, hostile uploads, and scaling backends under load without a failed request. One service
 * runs through the steps in order (starting agents is the slow part).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PhpServiceIT {
  /** The operator's upload cap in this test (the default is 256 MiB). */
  private static final long UPLOAD_CAP = 1 << 20;
  private static final String APP_PAGE = "<?php session_start(); $_SESSION['n'] = ($_SESSION['n'] ?? 0) + 1; "
      + "echo '%s ' . $_SERVER['CONPAAS_AGENT'] . ' ' . $_SESSION['n'];";

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private KubernetesClient client;
  private LocalWorld world;
  private ConpaasOperator operator;
  private CodeUploads uploads;
  private WebServiceSteps<PhpService> steps;

  @BeforeAll
  void startOperatorAndService() throws IOException {
    // Agents run as root here, so their servers drop to www-data, which must reach the VM dirs.
    Files.setPosixFilePermissions(workDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    world = LocalWorld.create(client, "php", workDir);
    ArchiveLimits d = ArchiveLimits.defaults();
    operator = TestOperator.start(TestOperator.settings(world.namespace(), workDir, Duration.ofSeconds(60), 3),
        TestOperator.localDrivers(workDir), CodeSettings.beside(workDir)
            .withLimits(new ArchiveLimits(UPLOAD_CAP, d.maxExpandedBytes(), d.maxEntries(), d.maxRatio())));
    uploads = new CodeUploads(client, world.namespace());
    steps = new WebServiceSteps<>(client, world.namespace(), PhpService.class, "shop", ServiceKind.PhpService);
    client.resource(Fixtures.php(world.namespace(), "shop", LocalWorld.APP, 1)).create();
    steps.awaitRunning();
  }

  @AfterAll
  void deleteEverything() {
    if (operator != null) {
      client.resources(PhpService.class).inNamespace(world.namespace()).withName("shop").delete();
      await().atMost(Duration.ofSeconds(90)).until(() ->
          client.resources(PhpService.class).inNamespace(world.namespace()).withName("shop").get() == null);
      operator.close();
    }
    world.close();
  }

  @Test
  @Order(1)
  void aNewServiceServesTheDefaultPageThroughTheProxyUrlInStatus() {
    PhpService s = steps.service();
    assertThat(s.getStatus().getEndpoints()).hasSize(1);
    assertThat(s.getStatus().getEndpoints().get(0).getUrl()).startsWith("http://127.0.0.1:");
    assertThat(s.getStatus().getCode().getVersions()).isEmpty();
    assertThat(steps.get("/").body()).contains("No code version has been activated yet");
    assertThat(client.resources(Agent.class).inNamespace(world.namespace()).list().getItems())
        .extracting(a -> a.getSpec().getRole()).containsExactlyInAnyOrder("backend", "web", "proxy");
  }

  @Test
  @Order(2)
  void uploadedVersionsAreServedAfterActivationAndRollbackServesTheOlderOne() throws IOException {
    steps.upload("v1", Archives.zip(files.resolve("v1.zip"), files("index.php", APP_PAGE.formatted("v1"),
        "error.php", "<?php undefined_function_xyz();", "static.txt", "plain v1")));
    steps.activate("v1");
    assertThat(steps.get("/index.php").body()).startsWith("v1 shop-backend-0 ");
    assertThat(steps.get("/static.txt").body()).isEqualTo("plain v1");

    steps.upload("v2", Archives.zip(files.resolve("v2.zip"), files("index.php", APP_PAGE.formatted("v2"),
        "error.php", "<?php undefined_function_xyz();")));
    steps.activate("v2");
    assertThat(steps.get("/index.php").body()).startsWith("v2 ");

    steps.activate("v1");
    assertThat(steps.get("/index.php").body()).startsWith("v1 ");
    assertThat(steps.service().getStatus().getCode().getVersions()).extracting(CodeVersionStatus::getVersion)
        .containsExactly("v1", "v2");
    assertThat(steps.service().getStatus().getCode().getVersions()).allSatisfy(v -> {
      assertThat(v.getSha256()).hasSize(64);
      assertThat(v.getOrigin()).isEqualTo("upload");
    });
  }

  @Test
  @Order(3)
  void hostileOrBrokenUploadsAreRejectedWithTheProblemAndTheServedVersionStays() throws IOException {
    record Case(String version, Path archive, String message) {}
    List<Case> cases = List.of(
        new Case("evil1", Archives.zip(files.resolve("dots.zip"), files("../escape.php", "<?php echo 1;")),
            ".."),
        new Case("evil2", Archives.zip(files.resolve("abs.zip"), files("/etc/evil.php", "<?php echo 1;")),
            "absolute"),
        new Case("evil3", Archives.tarWithLink(files.resolve("sym.tar"), "sym", "passwd", "/etc/passwd"),
            "link"),
        new Case("evil4", Archives.tarWithLink(files.resolve("hard.tar"), "hard", "shadow", "../../etc/shadow"),
            "link"),
        new Case("evil5", Archives.zeroBomb(files.resolve("bomb.zip"), 300L << 20), "decompression bomb"),
        new Case("evil6", Files.writeString(files.resolve("notes.txt"), "just some text, not an archive"),
            "not an archive"),
        new Case("evil7", Archives.zip(files.resolve("big.zip"), files("index.php", randomText(2 * UPLOAD_CAP))),
            "exceeds the limit"));
    for (Case c : cases) {
      CodeUploads.Result r = uploads.upload(ServiceKind.PhpService, "shop", c.version(), c.archive());
      assertThat(r.status()).as(c.version() + ": " + r.body()).isBetween(400, 499);
      assertThat(r.body()).as(c.version()).containsIgnoringCase(c.message());
      assertThat(r.request().getStatus().getPhase()).isEqualTo(CodeUploadPhase.Failed);
      assertThat(r.request().getStatus().getMessage()).isNotBlank();
    }
    assertThat(steps.service().getStatus().getCode().getVersions()).extracting(CodeVersionStatus::getVersion)
        .containsExactly("v1", "v2");
    assertThat(steps.get("/index.php").body()).startsWith("v1 ");
    // Nothing of a rejected archive reached the operator's store.
    try (Stream<Path> stored = Files.walk(workDir.resolveSibling(workDir.getFileName() + "-code"))) {
      assertThat(stored.map(Path::toString)).noneMatch(p -> p.contains("evil") || p.contains("escape"));
    }
  }

  @Test
  @Order(4)
  void anUploadNeedsPermissionToUpdateTheServiceAndTheTokenAndWorksOnce() throws IOException {
    String ns = world.namespace();
    // mallory may create upload requests but not update PhpServices.
    client.resource(new RoleBuilder().withNewMetadata().withName("uploader-only").withNamespace(ns).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups("conpaas.io").withResources("codeuploads")
            .withVerbs("create", "get").build()).build()).create();
    client.resource(new RoleBindingBuilder().withNewMetadata().withName("mallory").withNamespace(ns).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "Role", "uploader-only")
        .addNewSubject().withKind("User").withName("mallory").withApiGroup("rbac.authorization.k8s.io").endSubject()
        .build()).create();
    try (KubernetesClient mallory = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
        client.getConfiguration()).withImpersonateUsername("mallory").withImpersonateGroups("system:authenticated")
        .build()).build()) {
      CodeUploads asMallory = new CodeUploads(mallory, ns);
      assertThatThrownBy(() -> asMallory.request(ServiceKind.PhpService, "shop", "v3", "secret"))
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
          .hasMessageContaining("needs permission to update it");
    }

    Path v3 = Archives.zip(files.resolve("v3.zip"), files("index.php", "<?php echo 'v3';"));
    CodeUpload request = uploads.request(ServiceKind.PhpService, "shop", "v3", "right-token");
    assertThat(request.getStatus().getPhase()).isEqualTo(CodeUploadPhase.Ready);
    CodeUploads.Result wrong = uploads.put(request, "wrong-token", v3);
    assertThat(wrong.status()).isEqualTo(403);
    CodeUploads.Result ok = uploads.put(request, "right-token", v3);
    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    assertThat(ok.request().getStatus().getPhase()).isEqualTo(CodeUploadPhase.Completed);
    CodeUploads.Result again = uploads.put(request, "right-token", v3);
    assertThat(again.status()).isEqualTo(409);

    // An existing version cannot be replaced.
    CodeUploads.Result dup = uploads.upload(ServiceKind.PhpService, "shop", "v1", v3);
    assertThat(dup.request().getStatus().getPhase()).isEqualTo(CodeUploadPhase.Failed);
    assertThat(dup.body()).contains("already exists");
    assertThat(steps.get("/index.php").body()).startsWith("v1 ");
  }

  @Test
  @Order(5)
  void debugShowsPhpErrorsAndHidesThemWhenOff() {
    assertThat(steps.get("/error.php").body()).doesNotContain("undefined_function_xyz");
    client.resources(PhpService.class).inNamespace(world.namespace()).withName("shop")
        .edit(s -> { s.getSpec().setDebug(true); return s; });
    steps.awaitRunning();
    assertThat(steps.get("/error.php").body()).contains("undefined_function_xyz");
    client.resources(PhpService.class).inNamespace(world.namespace()).withName("shop")
        .edit(s -> { s.getSpec().setDebug(false); return s; });
    steps.awaitRunning();
    assertThat(steps.get("/error.php").body()).doesNotContain("undefined_function_xyz");
  }

  @Test
  @Order(6)
  void scalingBackendsOneToThreeToOneUnderLoadFailsNoRequestAndSessionsFollowTheUser() throws Exception {
    String url = steps.endpoint() + "index.php";
    List<String> sessionAnswers = new ArrayList<>();
    try (WebLoad load = new WebLoad(url, 4)) {
      scale(3);
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
        assertThat(steps.service().getStatus().getState()).isEqualTo(ServiceState.RUNNING);
        assertThat(steps.service().getStatus().getReplicas()).isEqualTo(3);
      });
      // One browser (one cookie jar): its counter keeps counting whichever backend answers.
      HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
      Set<String> backends = new HashSet<>();
      for (int i = 0; i < 30; i++) {
        String body = browser.send(HttpRequest.newBuilder(URI.create(url)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        sessionAnswers.add(body);
        backends.add(body.split(" ")[1]);
      }
      assertThat(backends).as(sessionAnswers.toString()).hasSizeGreaterThanOrEqualTo(2);
      for (int i = 0; i < sessionAnswers.size(); i++) {
        assertThat(sessionAnswers.get(i)).endsWith(" " + (i + 1));
      }

      scale(1);
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
        assertThat(steps.service().getStatus().getState()).isEqualTo(ServiceState.RUNNING);
        assertThat(client.resources(Agent.class).inNamespace(world.namespace())
            .withLabel("conpaas.io/role", "backend").list().getItems()).hasSize(1);
      });
      Thread.sleep(1000);
      load.close();
      System.out.printf("scaling 1 -> 3 -> 1 under load: %d requests sent, %d failed%n", load.sent(), load.failed());
      assertThat(load.failed()).as(load.failures().toString()).isZero();
      assertThat(load.sent()).isGreaterThan(50);
      assertThat(load.bodies()).extracting(b -> b.split(" ")[1]).contains("shop-backend-1", "shop-backend-2");
    }
  }

  /** Text that does not compress (so a zip of it stays over the cap). */
  private static String randomText(long length) {
    java.util.Random random = new java.util.Random(42);
    StringBuilder b = new StringBuilder();
    while (b.length() < length) {
      b.append(Long.toString(random.nextLong(), 36));
    }
    return b.toString();
  }

  private void scale(int backends) {
    client.resources(PhpService.class).inNamespace(world.namespace()).withName("shop").scale(backends);
  }

}
