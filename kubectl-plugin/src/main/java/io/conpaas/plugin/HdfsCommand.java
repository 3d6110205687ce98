package io.conpaas.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conpaas.plugin.ServiceKind.Feature;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hdfs ls|put|get}: files of a MapReduce service's HDFS, through the NameNode's WebHDFS. */
@Command(name = "hdfs",
    header = "List, put or get files of a MapReduce service's HDFS.",
    description = {"Reads the service's NameNode endpoint (status.endpoints[0]) from the API server, then calls "
        + "WebHDFS there directly, as any HDFS client does: like `kv`, this command talks to the service itself "
        + "(plain HTTP to the master's and workers' addresses), so your machine must reach them. `ls PATH` lists a "
        + "directory; `put LOCAL PATH` writes a local file (overwriting); `get PATH LOCAL` writes an HDFS file to a "
        + "local one (- for stdout). WebHDFS has no authentication of its own (Hadoop without Kerberos trusts the "
        + "user name a client claims): whoever reaches the NameNode's port can do the same. To write through "
        + "Kubernetes' authorization instead, use `mapreduce submit --input LOCAL=HDFS_PATH`."})
final class HdfsCommand extends PluginCommand {
  enum Action { ls, put, get }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 600;
  /** Largest listing read (a directory of some thousand entries). */
  private static final int MAX_LISTING = 8 << 20;

  @Parameters(index = "0", paramLabel = "ACTION", description = "ls, put or get.")
  Action action;

  @Parameters(index = "1", paramLabel = "SERVICE", description = "MapReduce service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "2", paramLabel = "ARG", description = "ls: PATH; put: LOCAL PATH; get: PATH LOCAL.",
      arity = "1..2")
  java.util.List<String> args;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.HDFS,
        "MapReduce service", "hdfs");
    String base = s.endpoint();
    if (base == null) {
      throw new CliException(s.ref() + " has no endpoint yet (state " + s.state() + "; kubectl conpaas list -n "
          + s.namespace() + ")");
    }
    if (args.size() != (action == Action.ls ? 1 : 2)) {
      throw new CliException(action == Action.ls ? "hdfs ls takes one PATH" : "hdfs " + action + " takes two paths");
    }
    String nn = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    // Redirects are not followed: the NameNode's answer names the DataNode to send the data to or read it from.
    try (HttpClient http = HttpClientUtils.getHttpClientFactory().newBuilder().connectTimeout(10, TimeUnit.SECONDS)
        .preferHttp11().build()) {
      switch (action) {
        case ls -> list(http, nn, args.get(0));
        case put -> put(http, nn, Path.of(args.get(0)), args.get(1), s);
        case get -> get(http, nn, args.get(0), args.get(1));
      }
    } catch (IOException e) {
      throw new CliException("cannot reach " + nn + ": " + ErrorMessages.oneLine(String.valueOf(e.getMessage())));
    }
    return 0;
  }

  private void list(HttpClient http, String nn, String path) throws IOException, InterruptedException {
    HttpResponse<InputStream> r = send(http, http.newHttpRequestBuilder().uri(uri(nn, path, "LISTSTATUS", ""))
        .build());
    byte[] body;
    try (InputStream in = r.body()) {
      body = in.readNBytes(MAX_LISTING);
    }
    check(r.code(), 200, "ls " + path, body);
    for (JsonNode f : JSON.readTree(body).path("FileStatuses").path("FileStatus")) {
      out().printf("%s %12d %s%n", "DIRECTORY".equals(f.path("type").asText()) ? "d" : "-", f.path("length").asLong(),
          f.path("pathSuffix").asText());
    }
    out().flush();
  }

  private void put(HttpClient http, String nn, Path local, String path, ServiceObject s)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(local)) {
      throw new CliException(local + " is not a file");
    }
    HttpResponse<InputStream> first = send(http, http.newHttpRequestBuilder()
        .uri(uri(nn, path, "CREATE", "&overwrite=true")).put("application/octet-stream", "").build());
    URI datanode = redirect(first, "put " + path);
    long size = Files.size(local);
    try (InputStream data = Files.newInputStream(local)) {
      HttpResponse<InputStream> written = send(http, http.newHttpRequestBuilder().uri(datanode)
          .put("application/octet-stream", data, size).build());
      try (InputStream in = written.body()) {
        check(written.code(), 201, "put " + path, in.readNBytes(4096));
      }
    }
    say("put " + local + " (" + size + " bytes) to " + path + " in " + s.ref());
  }

  private void get(HttpClient http, String nn, String path, String local) throws IOException, InterruptedException {
    URI datanode = redirect(send(http, http.newHttpRequestBuilder().uri(uri(nn, path, "OPEN", "")).build()),
        "get " + path);
    HttpResponse<InputStream> r = send(http, http.newHttpRequestBuilder().uri(datanode).build());
    try (InputStream in = r.body()) {
      if (r.code() != 200) {
        check(r.code(), 200, "get " + path, in.readNBytes(4096));
      }
      if ("-".equals(local)) {
        in.transferTo(System.out);
        System.out.flush();
      } else {
        Files.copy(in, Path.of(local), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** The DataNode a 307 answer of the NameNode names; a CliException for any other answer. */
  private static URI redirect(HttpResponse<InputStream> r, String what) throws IOException {
    try (InputStream in = r.body()) {
      byte[] body = in.readNBytes(4096);
      check(r.code(), 307, what, body);
    }
    String location = r.header("Location");
    if (location == null) {
      throw new CliException(what + ": the NameNode named no DataNode");
    }
    return URI.create(location);
  }

  private static HttpResponse<InputStream> send(HttpClient http, HttpRequest request) throws InterruptedException {
    try {
      return http.sendAsync(request, InputStream.class).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new CliException("cannot reach " + request.uri().getHost() + ":" + request.uri().getPort() + ": "
          + ErrorMessages.oneLine(cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
              : ": " + cause.getMessage())));
    }
  }

  private static void check(int code, int wanted, String what, byte[] body) {
    if (code != wanted) {
      throw new CliException(what + ": the NameNode answered " + code + ": "
          + ErrorMessages.oneLine(new String(body, 0, Math.min(body.length, 2048), StandardCharsets.UTF_8)));
    }
  }

  private static URI uri(String nn, String path, String op, String extra) {
    if (!path.startsWith("/")) {
      throw new CliException("HDFS paths are absolute: " + path);
    }
    String encoded = URLEncoder.encode(path, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
    return URI.create(nn + "/webhdfs/v1" + encoded + "?op=" + op + "&user.name=conpaas" + extra);
  }
}
