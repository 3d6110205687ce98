package io.conpaas.operator;

import io.conpaas.agent.api.RequestBodies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.reconcilers.code.CodeUploadReceiver;
import io.conpaas.reconcilers.code.UploadPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The upload listener: PUT /uploads/NAMESPACE/NAME/UID with the archive as the body (plain HTTP:
 * in-cluster it is reached through the API server's Service proxy, which authenticates the
 * caller; the one-time token authorizes the upload). Streams into the receiver.
 */
public final class UploadServer implements AutoCloseable {
  /** The header that carries the upload token. */
  public static final String TOKEN_HEADER = "X-Conpaas-Upload-Token";
  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "code-upload");
    t.setDaemon(true);
    return t;
  });

  public UploadServer(String bind, int port, CodeUploadReceiver receiver) throws IOException {
    server = HttpServer.create(new InetSocketAddress(bind, port), 16);
    server.setExecutor(threads);
    server.createContext(UploadPaths.PREFIX, ex -> {
      try (ex) {
        handle(ex, receiver);
      }
    });
  }

  /** Starts listening; returns the port. */
  public int start() {
    server.start();
    return server.getAddress().getPort();
  }

  private static void handle(HttpExchange ex, CodeUploadReceiver receiver) throws IOException {
    if (!"PUT".equals(ex.getRequestMethod())) {
      respond(ex, 405, Map.of("error", "use PUT with the archive as the body"));
      return;
    }
    String[] parts = ex.getRequestURI().getPath().substring(UploadPaths.PREFIX.length()).split("/");
    if (parts.length != 3) {
      respond(ex, 404, Map.of("error", "expected " + UploadPaths.PREFIX + "NAMESPACE/NAME/UID"));
      return;
    }
    long length = parseLength(ex.getRequestHeaders().getFirst("Content-Length"));
    CodeUploadReceiver.Answer answer;
    try (InputStream body = ex.getRequestBody()) {
      answer = receiver.receive(parts[0], parts[1], parts[2], token(ex), body, length);
      if (answer.status() >= 400) {
        RequestBodies.drain(body, RequestBodies.DRAIN_LIMIT);
      }
    }
    respond(ex, answer.status(), answer.body());
  }


  /**
   * The one-time token: in X-Conpaas-Upload-Token (the API server's Service proxy drops the
   * Authorization header after authenticating the caller) or as a Bearer credential.
   */
  private static String token(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
    if (header != null && !header.isBlank()) {
      return header;
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
  }

  private static long parseLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void respond(HttpExchange ex, int status, Map<String, Object> body) throws IOException {
    byte[] bytes = AgentJson.mapper().writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
