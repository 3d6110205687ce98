package io.conpaas.operator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Liveness (/healthz) and readiness (/readyz) for the kubelet's probes, and /metrics (Prometheus). */
public final class HealthServer implements AutoCloseable {
  private final HttpServer server;

  public HealthServer(int port, BooleanSupplier live, BooleanSupplier ready, Supplier<String> metrics)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 8);
    server.createContext("/healthz", ex -> answer(ex, live.getAsBoolean()));
    server.createContext("/readyz", ex -> answer(ex, ready.getAsBoolean()));
    server.createContext("/metrics", ex -> {
      byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
  }

  public int start() {
    server.start();
    return server.getAddress().getPort();
  }

  private static void answer(com.sun.net.httpserver.HttpExchange ex, boolean ok) throws IOException {
    byte[] body = (ok ? "ok\n" : "not ready\n").getBytes(StandardCharsets.US_ASCII);
    ex.sendResponseHeaders(ok ? 200 : 503, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
