package io.conpaas.agent.web;

import static io.conpaas.agent.web.WebRoleFixture.get;
import static io.conpaas.agent.web.WebRoleFixture.in;
import static io.conpaas.agent.web.WebRoleFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.code.TestArchives;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PHP backend's code sees its database (PhpService spec.database) as CONPAAS_DB_* variables, across activations. */
class PhpDatabaseEnvTest {
  private static final Map<String, String> DB = Map.of("dbHost", "db.example", "dbPort", "3307", "dbUser", "mysqladb");

  @TempDir
  Path dir;
  private WebRoleFixture fixture;
  private PhpBackendRole backend;

  @BeforeEach
  void start() {
    fixture = new WebRoleFixture(dir);
    backend = fixture.start("php-backend-0", new PhpBackendRole(WebRoleFixture.LIMITS), DB);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void theDatabaseVariablesReachThePhpCodeAndSurviveActivatingAnotherVersion() {
    byte[] app = TestArchives.zip().file("index.php",
        "<?php echo getenv('CONPAAS_DB_HOST') . ' ' . getenv('CONPAAS_DB_PORT') . ' ' . getenv('CONPAAS_DB_USER');")
        .bytes();
    backend.code().upload("v1", in(app), -1);
    backend.code().upload("v2", in(app), -1);
    backend.activate("v1");
    assertThat(get(url(backend, "/index.php")).body()).isEqualTo("db.example 3307 mysqladb");
    backend.activate("v2");
    assertThat(get(url(backend, "/index.php")).body()).isEqualTo("db.example 3307 mysqladb");
  }

  @Test
  void aHostThatCouldBreakThePhpFpmConfigurationIsRefusedNamingTheKey() {
    assertThatThrownBy(() -> backend.configure(Map.of("dbHost", "x\" evil")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dbHost");
  }
}
