package io.conpaas.plugin;

import io.conpaas.testing.DevCluster;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real operator jar (operator/target/conpaas-operator.jar) as a process beside the dev cluster. */
final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts it with these settings (CONPAAS_ environment) and waits until its /readyz answers 200. */
  static OperatorProcess start(Path workDir, Map<String, String> settings) throws IOException, InterruptedException {
    Path jar = DevCluster.repoRoot().resolve("operator/target/conpaas-operator.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the operator module first");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path log = workDir.resolve("operator.log");
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx256m", "-jar", jar.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", DevCluster.kubeconfig());
    env.put("CONPAAS_HEALTH_PORT", Integer.toString(port));
    env.put("CONPAAS_LOCAL_WORK_DIR", workDir.resolve("local").toString());
    env.put("CONPAAS_CODE_STORE_DIR", workDir.resolve("code-store").toString());
    env.put("CONPAAS_UPLOAD_PORT", "0");
    env.putAll(settings);
    OperatorProcess op = new OperatorProcess(pb.start(), log);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    Instant deadline = Instant.now().plusSeconds(90);
    while (Instant.now().isBefore(deadline)) {
      if (!op.process.isAlive()) {
        throw new IllegalStateException("the operator exited: " + op.logTail());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return op;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    op.close();
    throw new IllegalStateException("the operator was not ready within 90 s: " + op.logTail());
  }

  String logTail() {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 3000));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** Stops it (SIGTERM, then SIGKILL after 20 s). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
