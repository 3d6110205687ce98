package io.conpaas.iaas.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of moto that answers the first N requests of one EC2 action with
 * 503 RequestLimitExceeded, as EC2 does when its request rate limit is hit, and forwards
 * everything else.
 */
public final class ThrottlingProxy implements AutoCloseable {
  private static final String THROTTLED = "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
      + "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>";
  /** Headers the JDK client sets itself and refuses to copy. */
  private static final Set<String> HOP_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  private final URI target;
  private final String action;
  private final int throttle;
  private final AtomicInteger throttled = new AtomicInteger();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpServer server;

  /** Throttles the first {@code throttle} requests whose Action is {@code action}. */
  public ThrottlingProxy(URI target, String action, int throttle) throws IOException {
    this.target = target;
    this.action = action;
    this.throttle = throttle;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Requests answered with RequestLimitExceeded so far. */
  public int throttled() {
    return throttled.get();
  }

  /** Requests received for the action, throttled or not. */
  public int seen(String anAction) {
    return seen.getOrDefault(anAction, new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String requestAction = action(new String(body, StandardCharsets.UTF_8));
      int nth = seen.computeIfAbsent(requestAction, k -> new AtomicInteger()).incrementAndGet();
      if (action.equals(requestAction) && nth <= throttle) {
        throttled.incrementAndGet();
        reply(exchange, 503, "text/xml", THROTTLED.getBytes(StandardCharsets.UTF_8));
        return;
      }
      HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
          .timeout(Duration.ofSeconds(30))
          .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      exchange.getRequestHeaders().forEach((name, values) -> {
        if (!HOP_HEADERS.contains(name.toLowerCase())) {
          values.forEach(v -> forward.header(name, v));
        }
      });
      HttpResponse<byte[]> answer = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      String type = answer.headers().firstValue("Content-Type").orElse("text/xml");
      reply(exchange, answer.statusCode(), type, answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String action(String form) {
    for (String pair : form.split("&")) {
      if (pair.startsWith("Action=")) {
        return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().put("Content-Type", List.of(type));
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
