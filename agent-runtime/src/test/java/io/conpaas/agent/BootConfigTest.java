package io.conpaas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.MutualTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot configuration (user data / CONTEXT) may name what a new VM does not hold yet, e.g. a
 * code version the operator uploads only once the agent answers: the agent then starts with
 * defaults and reports the hash of the empty configuration, so the operator pushes again.
 */
class BootConfigTest {
  private static final String REFUSED_KEY = "activeVersion";

  @TempDir
  static Path pkiDir;
  private static KeytoolPki pki;
  private static KeytoolPki.Pem serverCert;
  private static HttpClient operator;

  @BeforeAll
  static void issueCertificates() throws Exception {
    pki = KeytoolPki.create(pkiDir);
    serverCert = pki.issue("site-backend-0", "eku=serverAuth", "san=dns:site-backend-0,ip:127.0.0.1");
    KeytoolPki.Pem op = pki.issue(AgentServer.OPERATOR_CN, "eku=clientAuth");
    operator = HttpClient.newBuilder().sslContext(MutualTls.context(op.certificate(), op.privateKey(), pki.caPem()))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A role that refuses any configuration naming refusedValue under {@link #REFUSED_KEY}, and records calls. */
  private static final class PickyRole implements RolePlugin {
    private volatile String refusedValue;
    final List<Map<String, String>> configured = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> applied = new CopyOnWriteArrayList<>();
    volatile boolean refuseEverything;
    volatile boolean stopped;

    PickyRole(String refusedValue) {
      this.refusedValue = refusedValue;
    }

    /** Once the version is there (uploaded), the role accepts it. */
    void refusedValue(String value) {
      this.refusedValue = value;
    }

    @Override
    public String name() {
      return "backend";
    }

    @Override
    public void configure(Map<String, String> config) {
      configured.add(Map.copyOf(config));
      if (refuseEverything || (refusedValue != null && refusedValue.equals(config.get(REFUSED_KEY)))) {
        throw new IllegalArgumentException("version " + config.get(REFUSED_KEY) + " has not been uploaded");
      }
      applied.add(Map.copyOf(config));
    }

    @Override
    public Map<String, HttpHandler> endpoints() {
      return Map.of();
    }

    @Override
    public Map<String, String> facts() {
      return applied.isEmpty() ? Map.of() : Map.of("active", applied.get(applied.size() - 1)
          .getOrDefault(REFUSED_KEY, "default"));
    }

    @Override
    public void stop() {
      stopped = true;
    }
  }

  private static AgentContext context(Map<String, String> boot) {
    return new AgentContext("site-backend-0", "shop", "site", "PhpService", "backend", 0,
        serverCert.certificate(), serverCert.privateKey(), pki.caPem(), boot);
  }

  private static HttpResponse<String> call(String base, String path, String putBody) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    if (putBody != null) {
      b.PUT(HttpRequest.BodyPublishers.ofString(putBody));
    }
    return operator.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static AgentInfo info(String base) throws Exception {
    HttpResponse<String> r = call(base, "/info", null);
    assertThat(r.statusCode()).isEqualTo(200);
    return AgentJson.mapper().readValue(r.body(), AgentInfo.class);
  }

  @Test
  void aRefusedBootConfigurationStartsTheRoleWithDefaultsAndReportsTheEmptyHash() throws Exception {
    Map<String, String> boot = Map.of(REFUSED_KEY, "v7", "debug", "false");
    PickyRole role = new PickyRole("v7");

    try (AgentServer server = new AgentServer(context(boot), role, "127.0.0.1", 0)) {
      String base = "https://127.0.0.1:" + server.start();

      assertThat(role.configured).containsExactly(boot, Map.of());
      assertThat(role.applied).containsExactly(Map.of());
      AgentInfo info = info(base);
      assertThat(info.state()).isEqualTo("RUNNING");
      assertThat(info.configHash()).isEqualTo(ConfigHash.of(Map.of())).isNotEqualTo(ConfigHash.of(boot));
      assertThat(info.facts()).containsEntry("active", "default");
      assertThat(call(base, "/health", null).statusCode()).isEqualTo(200);

      // The operator sees the hash differ and pushes the configuration again once v7 is there.
      role.refusedValue(null);
      HttpResponse<String> pushed = call(base, "/config", "{\"activeVersion\":\"v7\",\"debug\":\"false\"}");
      assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
      assertThat(info(base).configHash()).isEqualTo(ConfigHash.of(boot));
      assertThat(info(base).facts()).containsEntry("active", "v7");
    }
    assertThat(role.stopped).isTrue();
  }

  @Test
  void anAcceptedBootConfigurationIsReportedAsApplied() throws Exception {
    Map<String, String> boot = Map.of(REFUSED_KEY, "v1");
    PickyRole role = new PickyRole("v7");

    try (AgentServer server = new AgentServer(context(boot), role, "127.0.0.1", 0)) {
      String base = "https://127.0.0.1:" + server.start();

      assertThat(role.configured).containsExactly(boot);
      assertThat(info(base).configHash()).isEqualTo(ConfigHash.of(boot));
    }
  }

  @Test
  void aRefusedPushKeepsTheDefaultsAndTheirHash() throws Exception {
    PickyRole role = new PickyRole("v7");

    try (AgentServer server = new AgentServer(context(Map.of(REFUSED_KEY, "v7")), role, "127.0.0.1", 0)) {
      String base = "https://127.0.0.1:" + server.start();

      HttpResponse<String> r = call(base, "/config", "{\"activeVersion\":\"v7\"}");
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(r.body()).contains("v7 has not been uploaded");
      assertThat(info(base).configHash()).isEqualTo(ConfigHash.of(Map.of()));
    }
  }

  @Test
  void aRoleThatRefusesEvenTheDefaultsFailsTheStartAndIsStopped() {
    PickyRole role = new PickyRole("v7");
    role.refuseEverything = true;

    assertThatThrownBy(() -> new AgentServer(context(Map.of(REFUSED_KEY, "v7")), role, "127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(role.configured).containsExactly(Map.of(REFUSED_KEY, "v7"), Map.of());
    assertThat(role.stopped).isTrue();
  }

  @Test
  void aRoleFailingOtherwiseAtBootIsNotRetriedWithDefaults() {
    RolePlugin broken = new RolePlugin() {
      @Override public String name() { return "backend"; }
      @Override public void configure(Map<String, String> config) {
        throw new IllegalStateException("nginx did not start");
      }
      @Override public Map<String, HttpHandler> endpoints() { return Map.of(); }
    };

    assertThatThrownBy(() -> new AgentServer(context(Map.of()), broken, "127.0.0.1", 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("nginx did not start");
  }
}
