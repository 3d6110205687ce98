package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.conpaas.reconcilers.net.Deadline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user-named download: guarded destinations and redirects, a streaming cap, a total deadline. */
class GuardedDownloadTest {
  @TempDir
  Path dir;
  private HttpServer server;
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    server.createContext("/ok", ex -> {
      byte[] body = "archive".getBytes();
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    server.createContext("/chunked", ex -> {
      ex.sendResponseHeaders(200, 0); // 0: chunked
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 100; i++) {
          out.write(new byte[1000]);
          out.flush();
        }
      }
    });
    server.createContext("/big", ex -> {
      ex.sendResponseHeaders(200, 1_000_000);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(new byte[1_000_000]);
      } catch (IOException clientGaveUp) {
        // expected
      }
    });
    server.createContext("/to-metadata", ex -> redirect(ex, "http://169.254.169.254/latest/meta-data/"));
    server.createContext("/to-loopback", ex -> redirect(ex, "http://127.0.0.2:" + port() + "/ok"));
    server.createContext("/to-ok", ex -> redirect(ex, "/ok"));
    server.createContext("/loop", ex -> redirect(ex, "/loop"));
    server.createContext("/trickle", ex -> {
      ex.sendResponseHeaders(200, 1000);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 1000; i++) {
          out.write('x');
          out.flush();
          Thread.sleep(1000);
        }
      } catch (IOException | InterruptedException clientGaveUp) {
        // expected
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    base = "http://127.0.0.1:" + port();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private int port() {
    return server.getAddress().getPort();
  }

  private static void redirect(com.sun.net.httpserver.HttpExchange ex, String location) throws IOException {
    ex.getResponseHeaders().set("Location", location);
    ex.sendResponseHeaders(302, -1);
    ex.close();
  }

  private static GuardedDownload download(String... allowed) {
    return new GuardedDownload(DestinationGuard.withAllowList(List.of(allowed)), Duration.ofSeconds(2),
        Duration.ofSeconds(5), 3);
  }

  @Test
  void loopbackIsRefusedUnlessAllowed() throws Exception {
    Path file = dir.resolve("f");
    assertThatThrownBy(() -> download().download(URI.create(base + "/ok"), file, 1000, Deadline.after(Duration.ofSeconds(5))))
        .isInstanceOf(DestinationGuard.Refused.class).hasMessageContaining("loopback");
    download("127.0.0.1").download(URI.create(base + "/ok"), file, 1000, Deadline.after(Duration.ofSeconds(5)));
    assertThat(Files.readString(file)).isEqualTo("archive");
  }

  @Test
  void redirectsAreFollowedOnlyToAllowedDestinations() throws Exception {
    Path file = dir.resolve("f");
    download("127.0.0.1").download(URI.create(base + "/to-ok"), file, 1000, Deadline.after(Duration.ofSeconds(5)));
    assertThat(Files.readString(file)).isEqualTo("archive");
    assertThatThrownBy(() -> download("127.0.0.1").download(URI.create(base + "/to-metadata"), file, 1000,
        Deadline.after(Duration.ofSeconds(5)))).isInstanceOf(DestinationGuard.Refused.class)
        .hasMessageContaining("169.254.169.254");
    assertThatThrownBy(() -> download("127.0.0.1").download(URI.create(base + "/to-loopback"), file, 1000,
        Deadline.after(Duration.ofSeconds(5)))).isInstanceOf(DestinationGuard.Refused.class)
        .hasMessageContaining("127.0.0.2");
    assertThatThrownBy(() -> download("127.0.0.1").download(URI.create(base + "/loop"), file, 1000,
        Deadline.after(Duration.ofSeconds(5)))).hasMessageContaining("more than 3 redirects");
  }

  @Test
  void bodiesAreCappedWhileTheyStream() throws Exception {
    Path file = dir.resolve("f");
    assertThatThrownBy(() -> download("127.0.0.1").download(URI.create(base + "/big"), file, 1000,
        Deadline.after(Duration.ofSeconds(5)))).hasMessageContaining("more than the limit of 1000");
    assertThatThrownBy(() -> download("127.0.0.1").download(URI.create(base + "/chunked"), file, 10_000,
        Deadline.after(Duration.ofSeconds(5)))).hasMessageContaining("larger than the limit of 10000");
    assertThat(Files.size(file)).isLessThanOrEqualTo(10_000);
    download("127.0.0.1").download(URI.create(base + "/chunked"), file, 100_000, Deadline.after(Duration.ofSeconds(5)));
    assertThat(Files.size(file)).isEqualTo(100_000);
  }

  @Test
  void aTricklingServerIsCutAtTheTotalDeadline() {
    long start = System.nanoTime();
    // Each byte arrives well within the 5 s read timeout: only the total deadline can end it.
    assertThatThrownBy(() -> download("127.0.0.1").download(URI.create(base + "/trickle"), dir.resolve("f"), 10_000,
        Deadline.after(Duration.ofSeconds(2)))).hasMessageContaining("did not finish within 2 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }
}
