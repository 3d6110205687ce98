package io.conpaas.agent.web;

import static io.conpaas.agent.web.WebRoleFixture.get;
import static io.conpaas.agent.web.WebRoleFixture.in;
import static io.conpaas.agent.web.WebRoleFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.code.TestArchives;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerAttack;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant code in a PHP backend (PHP, running as www-data under php-fpm) cannot make the root agent
 * write to a root-owned file: links it puts where root used to write (the database credentials'
 * directory, the session directory, ...) are refused or ignored across a credentials push, a
 * restart and an activation.
 */
class PhpBackendRootSafetyTest {
  private static final Map<String, String> DB = Map.of("dbHost", "db.example", "dbUser", "app");
  /** The names of files the agent (root) writes in the role's tree, with the temporary names it used. */
  private static final List<String> ROOT_NAMES = List.of("version", "password", "password.next", "php-fpm.conf",
      "php-fpm.conf.next", "php-fpm.out", "nginx.conf.next", "nginx.out", "phpsession.php", "port");

  @TempDir
  Path dir;
  private WebRoleFixture fixture;
  private WorkerAttack attack;
  private HttpServer endpoints;

  @AfterEach
  void stop() {
    if (endpoints != null) {
      endpoints.stop(0);
    }
    if (fixture != null) {
      fixture.close();
    }
    if (attack != null) {
      attack.cleanUp();
    }
  }

  @Test
  void phpCodeThatLinksWhatRootWritesToARootFileCannotMakeRootWriteIt() throws Exception {
    assumeTrue(SafeFiles.agentIsRoot(), "the agent drops to a worker user only as root");
    attack = WorkerAttack.againstNewVictim();
    fixture = new WebRoleFixture(dir);
    PhpBackendRole backend = fixture.start("php-backend-0", new PhpBackendRole(WebRoleFixture.LIMITS), DB);
    Path roleDir = dir.resolve("php-backend-0/backend");
    serve(backend);
    putCredentials("first-secret", "1");

    // The tenant's PHP page tries the credentials' files; then the worker plants links wherever it can write.
    byte[] app = TestArchives.zip().file("index.php", plantPage(roleDir, attack.victim())).bytes();
    backend.code().upload("v1", in(app), -1);
    backend.code().upload("v2", in(app), -1);
    backend.activate("v1");
    String report = get(url(backend, "/index.php")).body();
    assertThat(report).contains("db/version");
    attack.plantLinks(roleDir, ROOT_NAMES, List.of(roleDir.resolve("db/version"), roleDir.resolve("db/password.next")));

    // A new password (the operator's push), a restart and an activation.
    RuntimeException restartFailure = null;
    try {
      putCredentials("second-secret", "2");
      backend.stop();
      backend.configure(DB);
      backend.activate("v2");
    } catch (RuntimeException e) {
      restartFailure = e;
    }
    attack.assertVictimUnchanged();
    if (restartFailure != null) {
      throw restartFailure;
    }
    assertThat(get(url(backend, "/index.php")).statusCode()).isEqualTo(200);
    assertThat(attack.rootFilesInWritableDirectories(roleDir))
        .as("files root wrote where the worker could have put a link (the page said: %s)", report).isEmpty();
    assertThat(backend.facts()).containsEntry("credentialsVersion", "2");
    // The worker still reads its password, and only it (and root) may.
    assertThat(attack.asAccount(List.of("cat", roleDir.resolve("db/password").toString())).output())
        .isEqualTo("second-secret");
    assertThat(attack.asAccount(List.of("touch", roleDir.resolve("db/x").toString())).exitCode()).isNotZero();
    // The code is the worker's to read, not to change (root reads and replaces versions there).
    assertThat(attack.asAccount(List.of("touch", roleDir.resolve("code/current/x").toString())).exitCode()).isNotZero();
    assertThat(attack.asAccount(List.of("cat", roleDir.resolve("code/current/index.php").toString())).exitCode())
        .isZero();
  }

  private void serve(PhpBackendRole backend) throws IOException {
    endpoints = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoints.createContext(AgentPaths.MYSQL_CREDENTIALS, backend.endpoints().get(AgentPaths.MYSQL_CREDENTIALS));
    endpoints.start();
  }

  private void putCredentials(String password, String version) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + endpoints.getAddress().getPort() + AgentPaths.MYSQL_CREDENTIALS))
        .PUT(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + password + "\",\"version\":\"" + version + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  /** A page that replaces the agent's files in db/ by links to victim and says what it could do. */
  private static String plantPage(Path roleDir, Path victim) {
    return """
        <?php
        foreach (['db/version', 'db/password.next', 'db/password', 'php-fpm/php-fpm.conf.next'] as $p) {
          $path = '%s/' . $p;
          @unlink($path);
          echo (@symlink('%s', $path) ? 'planted ' : 'refused ') . $p . "\\n";
        }
        """.formatted(roleDir, victim);
  }
}
