package io.conpaas.agent;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MutualTls;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;

/**
 * {@code conpaas-agent --warmup}: runs the agent's start path once (context JSON, its own key and
 * placeholder certificate, HTTPS server, one mutual-TLS bootstrap call) with a throwaway
 * self-signed operator certificate and exits. The
 * build runs it with -XX:ArchiveClassesAtExit to record the classes an agent loads; agents then
 * start from that class-data archive, which is most of an agent's start-up time on small VMs.
 */
final class AgentWarmup {
  private static final String PASSWORD = "warmup";

  private AgentWarmup() {}

  static void run() throws Exception {
    Path dir = Files.createTempDirectory("conpaas-agent-warmup");
    try {
      Path keystore = dir.resolve("warmup.p12");
      Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1", "-alias", "w", "-validity", "2",
          "-dname", "CN=" + AgentServer.OPERATOR_CN, "-keystore", keystore.toString(), "-storetype", "PKCS12",
          "-storepass", PASSWORD, "-keypass", PASSWORD).inheritIO().start();
      if (!keytool.waitFor(2, java.util.concurrent.TimeUnit.MINUTES) || keytool.exitValue() != 0) {
        keytool.destroyForcibly();
        throw new IllegalStateException("keytool failed");
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = new FileInputStream(keystore.toFile())) {
        ks.load(in, PASSWORD.toCharArray());
      }
      String cert = pem("CERTIFICATE", ((X509Certificate) ks.getCertificate("w")).getEncoded());
      String key = pem("PRIVATE KEY", ((PrivateKey) ks.getKey("w", PASSWORD.toCharArray())).getEncoded());
      AgentContext written = new AgentContext("warmup", "warmup", "warmup", "HelloWorldService", "agents", 0,
          null, null, cert, Map.of("message", "warmup"), "warmup-token");
      AgentContext context = AgentJson.mapper().readValue(AgentJson.mapper().writeValueAsBytes(written),
          AgentContext.class);
      RolePlugin role = RoleRegistry.builtIn().create(context.serviceKind(), context.role());
      try (AgentServer server = new AgentServer(context, role, new RoleContext("warmup", dir, "127.0.0.1"), 0)) {
        int port = server.start();
        HttpsURLConnection c = (HttpsURLConnection) new URL("https://127.0.0.1:" + port + AgentPaths.BOOTSTRAP)
            .openConnection();
        // The agent presents its placeholder until an operator certifies its key, as a new VM does.
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        tls.init(MutualTls.keyManagers(cert, key), new javax.net.ssl.TrustManager[] {new AnyServer()}, null);
        c.setSSLSocketFactory(tls.getSocketFactory());
        c.setHostnameVerifier((host, session) -> true);
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        if (c.getResponseCode() != 200) {
          throw new IllegalStateException("warm-up bootstrap call answered " + c.getResponseCode());
        }
        c.getInputStream().readNBytes(64 * 1024);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Trusts any server: the warm-up talks to its own agent only. */
  private static final class AnyServer implements javax.net.ssl.X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
