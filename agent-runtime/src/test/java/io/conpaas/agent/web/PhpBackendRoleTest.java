package io.conpaas.agent.web;

import static io.conpaas.agent.web.WebRoleFixture.get;
import static io.conpaas.agent.web.WebRoleFixture.in;
import static io.conpaas.agent.web.WebRoleFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.code.TestArchives;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PHP backend with real nginx and php-fpm: code versions, rollback, debug toggle. */
class PhpBackendRoleTest {
  private static final String ERROR_PAGE = "<?php echo 'before '; conpaas_no_such_function(); echo 'after';";

  @TempDir
  Path dir;
  private WebRoleFixture fixture;
  private PhpBackendRole backend;

  @BeforeEach
  void startBackend() {
    fixture = new WebRoleFixture(dir);
    backend = fixture.start("php-backend-0", new PhpBackendRole(WebRoleFixture.LIMITS), Map.of());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static byte[] app(String version) {
    return TestArchives.zip().file("index.php", "<?php echo 'version " + version + " on PHP ' . PHP_MAJOR_VERSION;")
        .file("error.php", ERROR_PAGE).file("static/hello.txt", "static " + version).bytes();
  }

  @Test
  void servesTheDefaultPageBeforeAnyUpload() {
    HttpResponse<String> r = get(url(backend, "/"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("No code version has been activated yet");
    assertThat(backend.facts()).containsEntry("activeVersion", "default").containsEntry("debug", "false");
  }

  @Test
  void servesUploadedVersionThenV2ThenRollsBack() {
    backend.code().upload("v1", in(app("1")), -1);
    backend.code().upload("v2", in(app("2")), -1);

    backend.activate("v1");
    assertThat(get(url(backend, "/")).body()).isEqualTo("version 1 on PHP 8");
    assertThat(get(url(backend, "/static/hello.txt")).body()).isEqualTo("static 1");

    backend.activate("v2");
    assertThat(get(url(backend, "/index.php")).body()).isEqualTo("version 2 on PHP 8");
    assertThat(backend.facts()).containsEntry("activeVersion", "v2");

    backend.activate("v1");
    assertThat(get(url(backend, "/")).body()).isEqualTo("version 1 on PHP 8");
  }

  @Test
  void activeVersionConfigKeyActivatesAndUnknownVersionIsRejected() {
    backend.code().upload("v1", in(app("1")), -1);

    backend.configure(Map.of("activeVersion", "v1"));
    assertThat(get(url(backend, "/")).body()).isEqualTo("version 1 on PHP 8");

    assertThatThrownBy(() -> backend.configure(Map.of("activeVersion", "v7")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("v7 has not been uploaded");
    assertThat(get(url(backend, "/")).body()).isEqualTo("version 1 on PHP 8");
  }

  @Test
  void debugShowsPhpErrorsAndProductionHidesThem() {
    backend.code().upload("v1", in(app("1")), -1);
    backend.configure(Map.of("activeVersion", "v1"));

    HttpResponse<String> hidden = get(url(backend, "/error.php"));
    assertThat(hidden.statusCode()).isEqualTo(500);
    assertThat(hidden.body()).doesNotContain("conpaas_no_such_function");

    backend.configure(Map.of("activeVersion", "v1", "debug", "true"));
    HttpResponse<String> shown = get(url(backend, "/error.php"));
    assertThat(shown.body()).contains("before").contains("Call to undefined function conpaas_no_such_function()");
    assertThat(backend.facts()).containsEntry("debug", "true");

    backend.configure(Map.of("activeVersion", "v1", "debug", "false"));
    assertThat(get(url(backend, "/error.php")).body()).doesNotContain("conpaas_no_such_function");
  }

  @Test
  void neverServesPhpSourceOrHiddenFiles() {
    backend.code().upload("v1", in(TestArchives.zip().file("index.php", "<?php echo 'ok'; // secret")
        .file(".env", "PASSWORD=x").bytes()), -1);
    backend.activate("v1");

    assertThat(get(url(backend, "/index.php")).body()).isEqualTo("ok");
    assertThat(get(url(backend, "/.env")).statusCode()).isEqualTo(404);
  }

  @Test
  void applicationCodeNeverRunsAsRoot() {
    backend.code().upload("v1", in(TestArchives.zip().file("whoami.php",
        "<?php echo posix_getpwuid(posix_geteuid())['name'];").bytes()), -1);
    backend.activate("v1");

    String expected = "root".equals(System.getProperty("user.name")) ? "www-data" : System.getProperty("user.name");
    assertThat(get(url(backend, "/whoami.php")).body()).isEqualTo(expected);
  }

  @Test
  void badConfigurationIsRejectedAndTheOldOneKeepsServing() {
    assertThatThrownBy(() -> backend.configure(Map.of("debug", "maybe")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("debug");
    assertThatThrownBy(() -> backend.configure(Map.of("sessionStore", "http://x/;rm -rf")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionStore");

    assertThat(get(url(backend, "/")).statusCode()).isEqualTo(200);
  }
}
