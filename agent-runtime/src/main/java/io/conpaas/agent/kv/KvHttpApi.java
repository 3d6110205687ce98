package io.conpaas.agent.kv;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conpaas.agent.api.AgentJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The node's plain HTTP API for the service's clients (like a web proxy's port, not the agent's
 * mutual-TLS port): {@code GET|PUT|DELETE /kv/{map}/{key}} with the value as the body (UTF-8
 * text), {@code GET /status} (JSON: members, partitions, entries, memory) and {@code GET /} (the
 * same as a page). While the node is not a member it answers 503.
 */
final class KvHttpApi implements AutoCloseable {
  static final int MAX_VALUE_BYTES = 1 << 20;
  private static final Pattern MAP_NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  private static final int MAX_KEY_CHARS = 1024;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "kv-http");
    t.setDaemon(true);
    return t;
  });
  private final Supplier<KvMember> member;

  /** member: the running member, or null while there is none. */
  KvHttpApi(String bindAddress, int port, Supplier<KvMember> member) throws IOException {
    // The JDK server writes headers and body apart: without TCP_NODELAY each small answer waits for
    // the client's delayed ACK (~40 ms). Read once by the JDK when its first server is made.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    this.member = member;
    server = HttpServer.create(new InetSocketAddress(bindAddress, port), 64);
    server.createContext("/kv/", ex -> guarded(ex, this::kv));
    server.createContext("/status", ex -> guarded(ex, e -> status(e, false)));
    server.createContext("/", ex -> guarded(ex, e -> status(e, true)));
    server.setExecutor(executor);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private void guarded(HttpExchange exchange, Handler handler) throws IOException {
    try {
      handler.handle(exchange);
    } catch (RuntimeException e) {
      send(exchange, 500, "text/plain", (e.getClass().getSimpleName() + ": " + e.getMessage() + "\n"));
    } finally {
      exchange.close();
    }
  }

  private KvMember live(HttpExchange exchange) throws IOException {
    KvMember m = member.get();
    if (m == null || !m.running()) {
      send(exchange, 503, "text/plain", "this node is not a member of the store (starting or leaving)\n");
      return null;
    }
    return m;
  }

  private void kv(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawPath().substring("/kv/".length());
    int slash = raw.indexOf('/');
    if (slash <= 0 || slash == raw.length() - 1) {
      send(exchange, 400, "text/plain", "use /kv/{map}/{key}\n");
      return;
    }
    String map = URLDecoder.decode(raw.substring(0, slash), StandardCharsets.UTF_8);
    String key = URLDecoder.decode(raw.substring(slash + 1), StandardCharsets.UTF_8);
    if (!MAP_NAME.matcher(map).matches() || key.length() > MAX_KEY_CHARS) {
      send(exchange, 400, "text/plain", "map: 1-100 of [A-Za-z0-9._-]; key: at most " + MAX_KEY_CHARS + " characters\n");
      return;
    }
    KvMember m = live(exchange);
    if (m == null) {
      return;
    }
    switch (exchange.getRequestMethod()) {
      case "GET" -> {
        String value = m.map(map).get(key);
        if (value == null) {
          send(exchange, 404, "text/plain", "no such key\n");
        } else {
          send(exchange, 200, "text/plain; charset=utf-8", value);
        }
      }
      case "PUT" -> {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readNBytes(MAX_VALUE_BYTES + 1);
        }
        if (body.length > MAX_VALUE_BYTES) {
          send(exchange, 413, "text/plain", "value larger than " + MAX_VALUE_BYTES + " bytes\n");
          return;
        }
        m.map(map).set(key, new String(body, StandardCharsets.UTF_8));
        send(exchange, 204, null, null);
      }
      case "DELETE" -> send(exchange, m.map(map).remove(key) == null ? 404 : 204, null, null);
      default -> send(exchange, 405, "text/plain", "use GET, PUT or DELETE\n");
    }
  }

  private void status(HttpExchange exchange, boolean page) throws IOException {
    if (page && !"/".equals(exchange.getRequestURI().getPath())) {
      send(exchange, 404, "text/plain", "not found; try /status or /kv/{map}/{key}\n");
      return;
    }
    KvMember m = live(exchange);
    if (m == null) {
      return;
    }
    Map<String, Object> status = m.status();
    if (!page) {
      send(exchange, 200, "application/json", AgentJson.mapper().writeValueAsString(status));
      return;
    }
    StringBuilder html = new StringBuilder("<!DOCTYPE html><html><head><title>Key-value store</title></head><body>")
        .append("<h1>Key-value store ").append(escape(String.valueOf(status.get("clusterName")))).append("</h1><ul>");
    status.forEach((k, v) -> html.append("<li><b>").append(escape(k)).append("</b>: ").append(escape(String.valueOf(v)))
        .append("</li>"));
    html.append("</ul><p>API: GET/PUT/DELETE /kv/{map}/{key}; JSON at <a href=\"/status\">/status</a>.</p></body></html>");
    send(exchange, 200, "text/html; charset=utf-8", html.toString());
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    if (body == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
