package io.conpaas.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.HelloWorldAnswer;
import io.conpaas.agent.api.MutualTls;
import io.conpaas.agent.roles.HelloWorldRole;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AgentServer over real mutual TLS: only the operator's certificate may drive the agent. */
class AgentServerTest {
  private static final Map<String, String> INITIAL = Map.of(HelloWorldRole.MESSAGE, "Hello from the test");

  @TempDir
  static Path pkiDir;
  private static KeytoolPki pki;
  private static KeytoolPki.Pem serverCert;
  private static HttpClient operator;
  private static HttpClient otherAgent;

  private AgentServer server;
  private String base;

  @BeforeAll
  static void issueCertificates() throws Exception {
    pki = KeytoolPki.create(pkiDir);
    serverCert = pki.issue("hello-agents-0", "eku=serverAuth", "san=dns:hello-agents-0,ip:127.0.0.1");
    operator = client(sslContext(pki.issue(AgentServer.OPERATOR_CN, "eku=clientAuth")));
    otherAgent = client(sslContext(pki.issue("hello-agents-1", "eku=clientAuth")));
  }

  @BeforeEach
  void startAgent() throws IOException {
    AgentContext context = new AgentContext("hello-agents-0", "shop", "hello", "HelloWorldService", "agents", 0,
        serverCert.certificate(), serverCert.privateKey(), pki.caPem(), INITIAL);
    server = new AgentServer(context, new HelloWorldRole(), "127.0.0.1", 0);
    base = "https://127.0.0.1:" + server.start();
  }

  @AfterEach
  void stopAgent() {
    server.close();
  }

  private static SSLContext sslContext(KeytoolPki.Pem pem) {
    return MutualTls.context(pem.certificate(), pem.privateKey(), pki.caPem());
  }

  private static HttpClient client(SSLContext tls) {
    return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
  }

  private HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> put(HttpClient client, String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static <T> T json(HttpResponse<String> response, Class<T> type) throws IOException {
    return AgentJson.mapper().readValue(response.body(), type);
  }

  @Test
  void answersHealthCheckOfTheOperator() throws Exception {
    HttpResponse<String> r = get(operator, "/health");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r, Map.class)).isEqualTo(Map.of("status", "ok"));
  }

  @Test
  void infoReportsRoleAndHashOfInitialConfig() throws Exception {
    HttpResponse<String> r = get(operator, "/info");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r, AgentInfo.class)).isEqualTo(new AgentInfo("hello-agents-0", "agents", "RUNNING",
        AgentVersion.VERSION, ConfigHash.of(INITIAL)));
  }

  @Test
  void helloworldAnswersTheConfiguredMessage() throws Exception {
    HttpResponse<String> r = get(operator, "/helloworld");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r, HelloWorldAnswer.class).message()).isEqualTo("Hello from the test");
  }

  @Test
  void putConfigChangesMessageAndHash() throws Exception {
    HttpResponse<String> r = put(operator, "/config", "{\"message\":\"Bye\"}");

    assertThat(r.statusCode()).isEqualTo(200);
    String newHash = ConfigHash.of(Map.of("message", "Bye"));
    assertThat(json(r, AgentInfo.class).configHash()).isEqualTo(newHash);
    assertThat(json(get(operator, "/info"), AgentInfo.class).configHash()).isEqualTo(newHash);
    assertThat(json(get(operator, "/helloworld"), HelloWorldAnswer.class).message()).isEqualTo("Bye");
  }

  @Test
  void malformedConfigIsRejectedAndChangesNothing() throws Exception {
    assertThat(put(operator, "/config", "{\"message\": ").statusCode()).isEqualTo(400);
    assertThat(put(operator, "/config", "[\"message\"]").statusCode()).isEqualTo(400);

    assertThat(json(get(operator, "/info"), AgentInfo.class).configHash()).isEqualTo(ConfigHash.of(INITIAL));
  }

  @Test
  void configNeedsPut() throws Exception {
    assertThat(get(operator, "/config").statusCode()).isEqualTo(405);
  }

  @Test
  void certificateWithAnotherCommonNameIsForbidden() throws Exception {
    assertThat(get(otherAgent, "/health").statusCode()).isEqualTo(403);
    assertThat(get(otherAgent, "/helloworld").statusCode()).isEqualTo(403);
    assertThat(put(otherAgent, "/config", "{\"message\":\"pwned\"}").statusCode()).isEqualTo(403);

    assertThat(json(get(operator, "/helloworld"), HelloWorldAnswer.class).message())
        .isEqualTo("Hello from the test");
  }

  @Test
  void clientWithoutCertificateFailsTheHandshake() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", MutualTls.certificate(pki.caPem()));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext noCert = SSLContext.getInstance("TLSv1.3");
    noCert.init(null, tmf.getTrustManagers(), null);

    assertThatThrownBy(() -> get(client(noCert), "/health")).isInstanceOf(IOException.class);
  }

  @Test
  void failingRoleEndpointAnswers500() throws Exception {
    RolePlugin broken = new RolePlugin() {
      @Override public String name() { return "agents"; }
      @Override public void configure(Map<String, String> config) {}
      @Override public Map<String, HttpHandler> endpoints() {
        return Map.of("/boom", exchange -> { throw new IllegalStateException("role crashed"); });
      }
    };
    AgentContext context = new AgentContext("hello-agents-0", "shop", "hello", "HelloWorldService", "agents", 0,
        serverCert.certificate(), serverCert.privateKey(), pki.caPem(), INITIAL);
    try (AgentServer s = new AgentServer(context, broken, "127.0.0.1", 0)) {
      base = "https://127.0.0.1:" + s.start();
      HttpResponse<String> r = get(operator, "/boom");
      assertThat(r.statusCode()).isEqualTo(500);
      assertThat(r.body()).contains("role crashed");
    }
  }
}
