package io.conpaas.agent;

import com.sun.net.httpserver.HttpExchange;
import io.conpaas.agent.api.AgentJson;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** Writes JSON answers and errors on an HttpExchange. */
public final class JsonExchange {
  private JsonExchange() {}

  /** Sends body as JSON with the given status and closes the exchange. */
  public static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = AgentJson.mapper().writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Sends {"error": message} with the given status. */
  public static void error(HttpExchange exchange, int status, String message) throws IOException {
    respond(exchange, status, Map.of("error", message));
  }
}
