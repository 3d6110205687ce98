package io.conpaas.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.agent.code.TestArchives;
import io.conpaas.agent.web.WebRole;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code endpoints and role facts over the agent's real mutual-TLS server, with a real nginx web role. */
class CodeEndpointsTest {
  private static final ArchiveLimits LIMITS = new ArchiveLimits(1 << 20, 4 << 20, 100, 100);

  @TempDir
  static Path dir;
  private static AgentServer server;
  private static HttpClient operator;
  private static String base;

  @BeforeAll
  static void startAgentWithWebRole() throws Exception {
    KeytoolPki pki = KeytoolPki.create(Files.createDirectories(dir.resolve("pki")));
    KeytoolPki.Pem cert = pki.issue("php-web-0", "eku=serverAuth", "san=ip:127.0.0.1");
    KeytoolPki.Pem op = pki.issue(AgentServer.OPERATOR_CN, "eku=clientAuth");
    operator = HttpClient.newBuilder().sslContext(MutualTls.context(op.certificate(), op.privateKey(), pki.caPem()))
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path vm = Files.createDirectories(dir.resolve("vm"));
    AgentContext context = new AgentContext("php-web-0", "shop", "php", "PhpService", "web", 0,
        cert.certificate(), cert.privateKey(), pki.caPem(), Map.of());
    server = new AgentServer(context, new WebRole(Set.of(ArchiveFormat.ZIP, ArchiveFormat.TAR_GZ), LIMITS),
        new RoleContext("php-web-0", vm, "127.0.0.1"), 0);
    base = "https://127.0.0.1:" + server.start();
  }

  @AfterAll
  static void stopAgent() {
    server.close();
  }

  private static HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body) throws Exception {
    return operator.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, body)
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return AgentJson.mapper().readTree(r.body());
  }

  @Test
  void uploadListActivateAndServe() throws Exception {
    byte[] zip = TestArchives.zip().file("index.html", "hello from v1").bytes();
    // Streamed (chunked, no Content-Length), as a large upload would be.
    HttpResponse<String> up = send("PUT", AgentPaths.CODE_VERSIONS + "/v1",
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(zip)));
    assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
    assertThat(json(up).get("sha256").asText()).hasSize(64);

    HttpResponse<String> act = send("PUT", AgentPaths.CODE_ACTIVE, HttpRequest.BodyPublishers.ofString("{\"version\":\"v1\"}"));
    assertThat(act.statusCode()).as(act.body()).isEqualTo(200);
    assertThat(json(act).get("active").asText()).isEqualTo("v1");

    AgentInfo info = AgentJson.mapper().readValue(send("GET", AgentPaths.INFO, HttpRequest.BodyPublishers.noBody())
        .body(), AgentInfo.class);
    assertThat(info.facts()).containsEntry("activeVersion", "v1").containsKey("port");
    String site = "http://127.0.0.1:" + info.facts().get("port") + "/";
    assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(site)).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("hello from v1");

    JsonNode list = json(send("GET", AgentPaths.CODE_VERSIONS, HttpRequest.BodyPublishers.noBody()));
    assertThat(list.get("versions").findValuesAsText("version")).contains("default", "v1");
  }

  @Test
  void hostileUploadAnswers422NamingTheProblem() throws Exception {
    HttpResponse<String> r = send("PUT", AgentPaths.CODE_VERSIONS + "/evil",
        HttpRequest.BodyPublishers.ofByteArray(TestArchives.tar().symlink("x", "/etc/passwd").gzipped()));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(json(r).get("error").asText()).contains("symlink x points outside the archive");
    assertThat(json(send("GET", AgentPaths.CODE_VERSIONS, HttpRequest.BodyPublishers.noBody())).get("versions")
        .findValuesAsText("version")).doesNotContain("evil");
  }

  @Test
  void oversizedUploadAnswers413() throws Exception {
    HttpResponse<String> r = send("PUT", AgentPaths.CODE_VERSIONS + "/big",
        HttpRequest.BodyPublishers.ofByteArray(new byte[2 << 20]));

    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("error").asText()).contains("exceeds the limit");
  }

  @Test
  void activatingAMissingVersionAnswers404AndBadBodies400() throws Exception {
    assertThat(send("PUT", AgentPaths.CODE_ACTIVE, HttpRequest.BodyPublishers.ofString("{\"version\":\"v9\"}"))
        .statusCode()).isEqualTo(404);
    assertThat(send("PUT", AgentPaths.CODE_ACTIVE, HttpRequest.BodyPublishers.ofString("{\"version\":1}"))
        .statusCode()).isEqualTo(400);
    assertThat(send("PUT", AgentPaths.CODE_VERSIONS + "/..%2Fx", HttpRequest.BodyPublishers.ofString("x"))
        .statusCode()).isEqualTo(400);
  }

  @Test
  void badConfigAnswers422AndKeepsServing() throws Exception {
    HttpResponse<String> r = send("PUT", AgentPaths.CONFIG, HttpRequest.BodyPublishers.ofString("{\"port\":\"http\"}"));

    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(json(r).get("error").asText()).contains("port");
  }
}
