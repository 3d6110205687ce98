package io.conpaas.iaas.ec2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real moto server ({@code python3 -m moto.server}) on a free loopback port for one test
 * class: started before all tests, reset before each, killed after all. Register it as a
 * static {@code @RegisterExtension} field.
 */
public final class MotoServer implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  private static final Duration STARTUP = Duration.ofSeconds(60);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private Thread killOnExit;
  private int port;
  private Path log;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    port = freePort();
    Path dir = Files.createDirectories(Path.of("target", "moto"));
    log = dir.resolve("moto-" + context.getRequiredTestClass().getSimpleName() + ".log");
    process = new ProcessBuilder(List.of("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p",
        Integer.toString(port)))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    // Also when the JVM dies without running afterAll (a killed test run).
    Process started = process;
    killOnExit = new Thread(started::destroyForcibly, "kill-moto");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    awaitReady();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    post("/moto-api/reset", "");
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Runtime.getRuntime().removeShutdownHook(killOnExit);
    process = null;
  }

  /** http://127.0.0.1:port, the EC2 (and IAM) endpoint. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Lets the next {@code requests} requests through unauthenticated, then enforces IAM
   * authentication and authorization ("inf" turns enforcement off again).
   */
  public void enforceAuthAfter(String requests) {
    post("/moto-api/reset-auth", requests);
  }

  /** Posts to the server and returns the body; fails unless the answer is 200. */
  String post(String path, String body) {
    return post(path, body, "text/plain", null);
  }

  String post(String path, String body, String contentType, String authorization) {
    HttpRequest.Builder request = HttpRequest.newBuilder(endpoint().resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("moto answered " + response.statusCode() + " to " + path + ": "
            + response.body());
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitReady() throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    HttpRequest probe = HttpRequest.newBuilder(endpoint().resolve("/moto-api/"))
        .timeout(Duration.ofSeconds(2)).GET().build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("moto exited with " + process.exitValue() + ": " + logTail());
      }
      try {
        http.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("moto did not answer within " + STARTUP + ": " + logTail());
  }

  private String logTail() throws IOException {
    String text = Files.readString(log);
    return text.substring(Math.max(0, text.length() - 2000));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
