package io.conpaas.operator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's /usr/bin/prometheus, see hack/install-deps.sh) on loopback, in its
 * own directory, scraping one target every second and loading the given rule files.
 */
public final class PrometheusServer implements AutoCloseable {
  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /** Starts Prometheus scraping http://target/metrics as the job, and waits until it is ready. */
  public static PrometheusServer start(Path dir, String job, String target, List<Path> ruleFiles)
      throws IOException, InterruptedException {
    Path binary = Path.of("/usr/bin/prometheus");
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(binary + " is missing: run hack/install-deps.sh (Debian package prometheus)");
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    StringBuilder config = new StringBuilder()
        .append("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n  scrape_timeout: 1s\n")
        .append("rule_files:\n");
    for (Path rules : ruleFiles) {
      config.append("  - '").append(rules.toAbsolutePath()).append("'\n");
    }
    config.append("scrape_configs:\n  - job_name: '").append(job).append("'\n")
        .append("    static_configs:\n      - targets: ['").append(target).append("']\n");
    Path configFile = dir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    Path log = dir.resolve("prometheus.log");
    Process p = new ProcessBuilder(binary.toString(), "--config.file=" + configFile,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
        "--web.console.templates=" + dir, "--web.console.libraries=" + dir)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    PrometheusServer server = new PrometheusServer(p, URI.create("http://127.0.0.1:" + port), log);
    Instant deadline = Instant.now().plusSeconds(30);
    while (!server.ready()) {
      if (!p.isAlive() || Instant.now().isAfter(deadline)) {
        String out = server.log();
        server.close();
        throw new IllegalStateException("Prometheus did not start: " + out);
      }
      Thread.sleep(200);
    }
    return server;
  }

  private boolean ready() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The data part of an instant query (resultType and result); fails on a query error. */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode body = new ObjectMapper().readTree(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
      throw new AssertionError("query " + promql + " failed: " + r.body());
    }
    return body.get("data");
  }

  /** The scrape targets (their health, last scrape and error). */
  public JsonNode targets() throws IOException, InterruptedException {
    return new ObjectMapper().readTree(get("/api/v1/targets").body()).path("data").path("activeTargets");
  }

  /** The loaded rule groups with each rule's health. */
  public JsonNode rules() throws IOException, InterruptedException {
    return new ObjectMapper().readTree(get("/api/v1/rules").body()).path("data").path("groups");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public String log() {
    try {
      String text = Files.readString(log);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
