package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.testing.DevCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl conpaas dashboard --port N --open} as the installed jar: it listens on 127.0.0.1:N, prints
 * the entry URL with that port, and hands the same URL to xdg-open (here a script first on PATH that
 * records its argument), which then opens the page.
 */
class DashboardCommandIT {
  @TempDir
  Path dir;

  @Test
  void portIsTheOneAskedForAndOpenHandsTheEntryUrlToXdgOpen() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path opened = dir.resolve("opened");
    Path xdgOpen = Files.writeString(bin.resolve("xdg-open"), "#!/bin/sh\nprintf '%s' \"$1\" > " + opened + "\n");
    Files.setPosixFilePermissions(xdgOpen, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        DashboardBrowser.JAR.toString(), "dashboard", "--kubeconfig", DevCluster.kubeconfig(), "-n", "default",
        "--port", Integer.toString(port), "--open").redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    try {
      String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertThat(line).isNotNull().contains("http://127.0.0.1:" + port + "/?token=");
      URI entry = URI.create(line.substring(line.indexOf("http://")).trim());
      await().atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(opened) && Files.size(opened) > 0);
      assertThat(Files.readString(opened)).isEqualTo(entry.toString());
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(entry).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("the URL handed to the browser enters the dashboard").isEqualTo(303);
      assertThat(r.headers().firstValue("Set-Cookie")).get().asString().startsWith("conpaas_dashboard_" + port + "=");
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
