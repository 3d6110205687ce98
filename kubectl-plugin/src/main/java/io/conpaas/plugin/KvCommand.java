package io.conpaas.plugin;

import io.conpaas.plugin.ServiceKind.Feature;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.HttpClientUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kv get|put|delete}: one key of a key-value store service, through its HTTP API. */
@Command(name = "kv",
    header = "Get, put or delete one key of a key-value store (ScalarisService).",
    description = {"Reads the service's endpoint (status.endpoints[0], the first node's HTTP API) from the API "
        + "server, then calls that endpoint directly, as any client of the store does: unlike the other "
        + "commands this one talks to the service itself (plain HTTP on the node's address), so your machine "
        + "must reach the nodes. `get` prints the value; `put` stores VALUE (`-` reads it from stdin); "
        + "`delete` removes the key. A missing key exits with 1."})
final class KvCommand extends PluginCommand {
  enum Action { get, put, delete }

  @Parameters(index = "0", paramLabel = "ACTION", description = "get, put or delete.")
  Action action;

  @Parameters(index = "1", paramLabel = "SERVICE", description = "Key-value service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "2", paramLabel = "MAP", description = "Map (namespace of keys), e.g. users.")
  String map;

  @Parameters(index = "3", paramLabel = "KEY", description = "The key.")
  String key;

  @Parameters(index = "4", arity = "0..1", paramLabel = "VALUE", description = "put only: the value (- reads stdin).")
  String value;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.KEY_VALUE,
        "key-value store", "kv");
    if ((action == Action.put) != (value != null)) {
      throw new CliException(action == Action.put ? "kv put needs a VALUE (or - for stdin)"
          : "kv " + action + " takes no VALUE");
    }
    String base = s.endpoint();
    if (base == null) {
      throw new CliException(s.ref() + " has no endpoint yet (state " + s.state() + "; kubectl conpaas list -n "
          + s.namespace() + ")");
    }
    URI uri = URI.create((base.endsWith("/") ? base : base + "/") + encode(map) + "/" + encode(key));
    try (HttpClient http = HttpClientUtils.getHttpClientFactory().newBuilder().connectTimeout(10, TimeUnit.SECONDS)
        .preferHttp11().build()) {
      HttpRequest.Builder request = http.newHttpRequestBuilder().uri(uri).timeout(30, TimeUnit.SECONDS);
      switch (action) {
        case get -> { } // the builder's default method
        case put -> request.put("text/plain; charset=utf-8", "-".equals(value) ? stdinValue() : value);
        case delete -> request.method("DELETE", "text/plain", "");
      }
      HttpResponse<String> answer = send(http, request.build(), uri);
      if (answer.code() == 404 && action != Action.put) {
        throw new CliException("no key '" + key + "' in map '" + map + "' of " + s.ref());
      }
      if (answer.code() >= 300) {
        throw new CliException(s.ref() + " at " + base + " answered " + answer.code() + ": "
            + ErrorMessages.oneLine(String.valueOf(answer.body())));
      }
      switch (action) {
        case get -> {
          out().print(answer.body());
          if (!answer.body().endsWith("\n")) {
            out().println();
          }
          out().flush();
        }
        case put -> say("stored " + map + "/" + key + " in " + s.ref());
        case delete -> say("deleted " + map + "/" + key + " from " + s.ref());
      }
      return 0;
    }
  }

  private static HttpResponse<String> send(HttpClient http, HttpRequest request, URI uri) throws InterruptedException {
    try {
      return http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new CliException("cannot reach " + uri.getHost() + ":" + uri.getPort() + ": "
          + ErrorMessages.oneLine(cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
              : ": " + cause.getMessage())));
    }
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Largest value read from stdin: a value is held in memory here and in the store. */
  static final int MAX_STDIN_VALUE = 16 * 1024 * 1024;

  /** The value piped in, refused beyond MAX_STDIN_VALUE instead of read without bound. */
  private String stdinValue() throws IOException {
    byte[] bytes = root.stdin().readNBytes(MAX_STDIN_VALUE + 1);
    if (bytes.length > MAX_STDIN_VALUE) {
      throw new CliException("the value on stdin is larger than " + MAX_STDIN_VALUE + " bytes");
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
