package io.conpaas.agent.xtreemfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the roles ask SeaweedFS: the master's topology and a volume server's status over HTTP
 * (2 s connect, 5 s answer, 4 MiB), and scripts of {@code weed shell} commands (bounded in time
 * and output).
 */
final class WeedApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ANSWER = 4 << 20;
  private static final int MAX_SHELL_OUTPUT = 256 << 10;
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** The volume servers the master knows (their Url, host:port), with their volume counts. */
  List<DataNode> dataNodes(String masterHttp) throws IOException {
    JsonNode topology = get(masterHttp + "/dir/status").path("Topology");
    List<DataNode> nodes = new ArrayList<>();
    topology.path("DataCenters").forEach(dc -> dc.path("Racks").forEach(rack -> rack.path("DataNodes").forEach(n ->
        nodes.add(new DataNode(n.path("Url").asText(), n.path("Volumes").asInt(0) + n.path("EcShards").asInt(0),
            n.path("Max").asInt(0))))));
    return nodes;
  }

  /** One volume server as the master reports it. */
  record DataNode(String url, int volumes, int max) {}

  /** The number of volumes (and EC shards' volumes) a volume server holds, from its own /status. */
  int volumesOf(String volumeHttp) throws IOException {
    JsonNode status = get(volumeHttp + "/status");
    return status.path("Volumes").size() + status.path("EcVolumes").size();
  }

  /** Whether the server answers at all (any HTTP status). */
  boolean answers(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
      HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      r.body().close();
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private JsonNode get(String url) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .header("Accept", "application/json").GET().build();
    try {
      HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        byte[] body = in.readNBytes(MAX_ANSWER);
        if (r.statusCode() / 100 != 2) {
          throw new IOException("GET " + url + ": HTTP " + r.statusCode());
        }
        return JSON.readTree(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Exit code and output (at most 256 KiB) of a weed shell run. */
  record ShellResult(int exitCode, String output) {
    boolean failed() {
      return exitCode != 0 || output.contains("error:") || output.contains("Error:");
    }
  }

  /**
   * Runs commands in {@code weed shell} against master (host:port.grpcPort) as the worker user
   * (command prefix), with a lock around them; killed after timeout (exit -1).
   */
  static ShellResult shell(List<String> prefix, Path weed, String master, String filer, Path dir,
      List<String> commands, Duration timeout) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(weed.toString());
    cmd.add("shell");
    cmd.add("-master=" + master);
    if (filer != null) {
      cmd.add("-filer=" + filer);
    }
    StringBuilder script = new StringBuilder("lock\n");
    commands.forEach(c -> script.append(c).append('\n'));
    script.append("unlock\nexit\n");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(script.toString().getBytes(StandardCharsets.UTF_8));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> {
        try (InputStream o = p.getInputStream()) {
          byte[] buf = new byte[8192];
          int n;
          while ((n = o.read(buf)) > 0) {
            synchronized (out) {
              if (out.size() < MAX_SHELL_OUTPUT) {
                out.write(buf, 0, Math.min(n, MAX_SHELL_OUTPUT - out.size()));
              }
            }
          }
        } catch (IOException ignored) {
          // the process was killed
        }
      }, "weed-shell-output");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        reader.join(2000);
        return new ShellResult(-1, text(out) + "\n(timed out after " + timeout + ")");
      }
      reader.join(2000);
      return new ShellResult(p.exitValue(), text(out));
    } catch (IOException e) {
      return new ShellResult(-1, "cannot run weed shell: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ShellResult(-1, "interrupted");
    }
  }

  private static String text(ByteArrayOutputStream out) {
    synchronized (out) {
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
