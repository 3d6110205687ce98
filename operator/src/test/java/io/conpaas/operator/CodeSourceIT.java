package io.conpaas.operator;

import static io.conpaas.operator.testing.Archives.files;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.api.v1alpha1.CodeSpec;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.api.v1alpha1.GitSource;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.operator.testing.Archives;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import io.conpaas.reconcilers.code.SourceFetchSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitOps code: spec.code.source as an archive URL with its digest or a git ref is fetched by the
 * operator, stored and served; a wrong digest is an ERROR naming it; stored versions survive an
 * operator restart. Fetches never reach loopback, link-local or private addresses (directly or by
 * redirect) unless code.sourceAllowedNetworks allows them (these tests serve from 127.0.0.1, so
 * they allow exactly that address), and a server that trickles bytes is cut at code.sourceTimeout
 * while the service's reconciles go on.
 */
class CodeSourceIT {
  @TempDir
  Path workDir;
  @TempDir
  Path served;

  private HttpServer http;
  private String base;

  @BeforeEach
  void serveFiles() throws IOException {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    http.createContext("/to-metadata", ex -> {
      ex.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/app.zip");
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    http.createContext("/trickle.zip", ex -> {
      ex.sendResponseHeaders(200, 100_000);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 100_000; i++) {
          out.write('x');
          out.flush();
          Thread.sleep(1000);
        }
      } catch (IOException | InterruptedException cutOff) {
        // The operator gave up: expected.
      }
    });
    http.createContext("/", ex -> {
      Path f = served.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
      if (!f.startsWith(served) || !Files.isRegularFile(f)) {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      ex.sendResponseHeaders(200, Files.size(f));
      try (OutputStream out = ex.getResponseBody()) {
        Files.copy(f, out);
      }
    });
    // Its own threads: a trickling answer must not hold the other requests.
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    http.start();
    base = "http://127.0.0.1:" + http.getAddress().getPort() + "/";
  }

  @AfterEach
  void stopServing() {
    http.stop(0);
  }

  @Test
  void archiveAndGitSourcesAreFetchedServedAndSurviveAnOperatorRestart() throws Exception {
    KubernetesClient client = DevCluster.client();
    try (LocalWorld world = LocalWorld.create(client, "gitops-code", workDir)) {
      String ns = world.namespace();
      Path zip = Archives.zip(served.resolve("app.zip"), files("index.php", "<?php echo 'from the url';"));
      String sha = sha256(zip);
      OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3);
      ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir), allowingLoopback());
      try {
        PhpService s = Fixtures.php(ns, "site", LocalWorld.APP, 1);
        s.getSpec().setWeb(new RoleSpec(0));
        s.getSpec().setCode(new CodeSpec());
        s.getSpec().getCode().setSource(source(base + "app.zip", "0".repeat(64)));
        client.resource(s).create();

        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
          PhpService now = get(client, ns);
          assertThat(now.getStatus().getState()).isEqualTo(ServiceState.ERROR);
          assertThat(now.getStatus().getMessage()).contains("code.source").contains("sha256 " + sha);
        });

        edit(client, ns, source(base + "app.zip", sha));
        awaitServing(client, ns, "src-" + sha.substring(0, 12), "from the url");

        Path repo = gitRepo(served.resolve("repo.git"), "<?php echo 'from git';");
        GitSource git = new GitSource();
        git.setUrl(base + "repo.git");
        git.setRef("main");
        CodeSource gitSource = new CodeSource();
        gitSource.setGit(git);
        edit(client, ns, gitSource);
        String commit = run(repo, "git", "rev-parse", "main").trim();
        awaitServing(client, ns, "git-" + commit.substring(0, 12), "from git");
        assertThat(get(client, ns).getStatus().getCode().getVersions()).extracting(CodeVersionStatus::getOrigin)
            .containsExactly(base + "app.zip", "git " + base + "repo.git main");
      } finally {
        op.close();
      }

      // A new operator process: the versions are on disk, nothing is fetched again.
      http.stop(0);
      try (ConpaasOperator again = TestOperator.start(settings, TestOperator.localDrivers(workDir))) {
        client.resources(PhpService.class).inNamespace(ns).withName("site").edit(p -> {
          p.getSpec().getCode().setSource(null);
          p.getSpec().getCode().setActiveVersion("src-" + sha.substring(0, 12));
          return p;
        });
        awaitServing(client, ns, "src-" + sha.substring(0, 12), "from the url");
        assertThat(get(client, ns).getStatus().getCode().getVersions()).hasSize(2);
        client.resources(PhpService.class).inNamespace(ns).withName("site").delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> get(client, ns) == null);
      }
    }
  }

  /** The test's file server is on 127.0.0.1: allowed for these tests, as an in-cluster Git server would be. */
  private CodeSettings allowingLoopback() {
    return CodeSettings.beside(workDir).withSource(SourceFetchSettings.defaults().withAllowedNetworks(
        List.of("127.0.0.1")));
  }

  @Test
  void metadataLoopbackAndRedirectsToThemAreRefusedWithTheReason() throws Exception {
    KubernetesClient client = DevCluster.client();
    try (LocalWorld world = LocalWorld.create(client, "code-refused", workDir)) {
      String ns = world.namespace();
      OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3);
      try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir), allowingLoopback())) {
        PhpService s = Fixtures.php(ns, "site", LocalWorld.APP, 0);
        s.getSpec().setWeb(new RoleSpec(0));
        s.getSpec().setProxy(new RoleSpec(0)); // no agents needed to see the refusal
        s.getSpec().setCode(new CodeSpec());
        s.getSpec().getCode().setSource(source("http://169.254.169.254/latest/meta-data/app.zip", "0".repeat(64)));
        client.resource(s).create();
        awaitError(client, ns, "169.254.169.254", "link-local");

        // 127.0.0.2 is loopback too, and only 127.0.0.1 is allowed.
        edit(client, ns, source(base.replace("127.0.0.1", "127.0.0.2") + "app.zip", "1".repeat(64)));
        awaitError(client, ns, "127.0.0.2", "loopback");

        // An allowed server that redirects to the metadata service does not get us there.
        edit(client, ns, source(base + "to-metadata", "2".repeat(64)));
        awaitError(client, ns, "169.254.169.254", "link-local");

        PhpService now = get(client, ns);
        assertThat(now.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getMessage()).contains("refused"));
      }
    }
  }

  @Test
  void aTricklingServerIsCutAtTheTimeoutWhileTheServiceGoesOn() throws Exception {
    KubernetesClient client = DevCluster.client();
    try (LocalWorld world = LocalWorld.create(client, "code-trickle", workDir)) {
      String ns = world.namespace();
      OperatorSettings settings = TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3);
      Duration timeout = Duration.ofSeconds(30);
      CodeSettings code = allowingLoopback().withSource(allowingLoopback().source().withTimeout(timeout));
      try (ConpaasOperator op = TestOperator.start(settings, TestOperator.localDrivers(workDir), code)) {
        long start = System.nanoTime();
        PhpService s = Fixtures.php(ns, "site", LocalWorld.APP, 1);
        s.getSpec().setWeb(new RoleSpec(0));
        s.getSpec().setCode(new CodeSpec());
        s.getSpec().getCode().setSource(source(base + "trickle.zip", "0".repeat(64)));
        client.resource(s).create();

        // While the download trickles, the service is reconciled: its agent comes up (default
        // page) and the status says the code is being fetched.
        await().atMost(timeout.minusSeconds(5)).ignoreExceptions().untilAsserted(() -> {
          PhpService now = get(client, ns);
          assertThat(now.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
          assertThat(now.getStatus().getCode().getMessage()).contains("fetching " + base + "trickle.zip");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout);

        // A second service of the same kind is reconciled meanwhile too.
        PhpService other = Fixtures.php(ns, "other", LocalWorld.APP, 0);
        other.getSpec().setWeb(new RoleSpec(0));
        other.getSpec().setProxy(new RoleSpec(0));
        client.resource(other).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(
            client.resources(PhpService.class).inNamespace(ns).withName("other").get().getStatus().getState())
            .isNotNull());

        awaitError(client, ns, "did not finish within 30 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plusSeconds(20));
      }
    }
  }

  private static void awaitError(KubernetesClient client, String ns, String... fragments) {
    await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
      PhpService now = get(client, ns);
      assertThat(now.getStatus().getState()).isEqualTo(ServiceState.ERROR);
      assertThat(now.getStatus().getMessage()).contains("code.source").contains(fragments);
    });
  }

  private static CodeSource source(String url, String sha) {
    CodeSource s = new CodeSource();
    s.setUrl(url);
    s.setSha256(sha);
    return s;
  }

  private static void edit(KubernetesClient client, String ns, CodeSource source) {
    client.resources(PhpService.class).inNamespace(ns).withName("site").edit(p -> {
      p.getSpec().getCode().setSource(source);
      return p;
    });
  }

  private static void awaitServing(KubernetesClient client, String ns, String version, String body) {
    await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> {
      PhpService s = get(client, ns);
      assertThat(s.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(s.getStatus().getCode().getActive()).isEqualTo(version);
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
          s.getStatus().getEndpoints().get(0).getUrl() + "index.php")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo(body);
    });
  }

  private static PhpService get(KubernetesClient client, String ns) {
    return client.resources(PhpService.class).inNamespace(ns).withName("site").get();
  }

  /** A bare repository served over git's "dumb" HTTP protocol (static files) with one commit on main. */
  private static Path gitRepo(Path bare, String indexPhp) throws Exception {
    Path work = Files.createTempDirectory("gitwork");
    run(work, "git", "init", "--quiet", "--initial-branch=main", ".");
    Files.writeString(work.resolve("index.php"), indexPhp);
    run(work, "git", "add", "index.php");
    run(work, "git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "app");
    run(work.getParent(), "git", "clone", "--quiet", "--bare", work.toString(), bare.toString());
    run(bare, "git", "update-server-info");
    return bare;
  }

  private static String run(Path dir, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    return out;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
