package io.conpaas.agent.selenium;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The node's calls to the Grid: bounded in time (2 s connect, 5 s answer) and size (1 MiB). */
final class GridHttp {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final int MAX_ANSWER = 1 << 20;
  // HTTP/1.1: the Grid's server does not take the client's h2c upgrade.
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /** GET url; the body of a 2xx answer, else an IOException. */
  String get(String url) throws IOException {
    return send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build());
  }

  /**
   * Asks the node at baseUrl to drain: it takes no new session, and stops itself once its last
   * one ended. Grid checks the registration secret on this call; the service sets none, so the
   * header is empty.
   */
  void drain(String baseUrl) throws IOException {
    send(HttpRequest.newBuilder(URI.create(baseUrl + "/se/grid/node/drain")).timeout(TIMEOUT)
        .header("X-REGISTRATION-SECRET", "").POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private String send(HttpRequest request) throws IOException {
    try {
      HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        byte[] body = in.readNBytes(MAX_ANSWER);
        if (r.statusCode() / 100 != 2) {
          throw new IOException(request.method() + " " + request.uri() + ": HTTP " + r.statusCode());
        }
        return new String(body, StandardCharsets.UTF_8);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
