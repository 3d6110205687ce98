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
 * An HTTP proxy in front of moto that answers requests of one EC2 action with 503
 * RequestLimitExceeded, as EC2 does when its request rate limit is hit (the first N, or beyond a
 * token bucket's rate), forwards everything else, and counts requests by action.
 *
 * <p>It also makes moto's RunInstances count behave like EC2's: moto starts MinCount instances,
 * EC2 as many as it has capacity for up to MaxCount. The proxy rewrites MinCount to
 * min(MaxCount, the per-call capacity set by {@link #capacityPerCall}), so a batch is fulfilled
 * whole, or partly when the capacity is set lower. And it keeps EC2's ClientToken idempotency, which
 * moto ignores: a RunInstances whose ClientToken was answered before gets the same answer again
 * (same instances) without reaching moto. {@link #loseAnswers} makes the next RunInstances answers
 * fail with InternalError after moto started the instances (a timeout after EC2 acted).
 */
public final class ThrottlingProxy implements AutoCloseable {
  private static final String THROTTLED = "<Response><Errors><Error><Code>RequestLimitExceeded</Code>"
      + "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>";
  /** Headers the JDK client sets itself and refuses to copy. */
  private static final Set<String> HOP_HEADERS =
      Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");

  /** Decides whether the nth request of the throttled action is refused. */
  @FunctionalInterface
  public interface Policy {
    boolean refuse(int nth);
  }

  private final URI target;
  private final String action;
  private final Policy policy;
  private final AtomicInteger throttled = new AtomicInteger();
  private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> lastAccepted =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpServer server;
  private final Map<String, java.util.concurrent.atomic.AtomicLong> firstSeen = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> busy = new ConcurrentHashMap<>();
  private volatile int capacityPerCall = Integer.MAX_VALUE;
  private final AtomicInteger answersToLose = new AtomicInteger();
  private final Map<String, byte[]> answersByClientToken = new ConcurrentHashMap<>();
  private static final String INTERNAL_ERROR = "<Response><Errors><Error><Code>InternalError</Code>"
      + "<Message>An internal error has occurred.</Message></Error></Errors><RequestID>x</RequestID></Response>";
  private final AtomicInteger runInstancesCalls = new AtomicInteger();

  /** Throttles the first {@code throttle} requests whose Action is {@code action}. */
  public ThrottlingProxy(URI target, String action, int throttle) throws IOException {
    this(target, action, nth -> nth <= throttle);
  }

  /** Throttles requests of the action as the policy says. */
  public ThrottlingProxy(URI target, String action, Policy policy) throws IOException {
    this.target = target;
    this.action = action;
    this.policy = policy;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** At most this many instances per RunInstances call from now on (fewer than MaxCount: partial fulfilment). */
  public ThrottlingProxy capacityPerCall(int instances) {
    this.capacityPerCall = instances;
    return this;
  }

  /** The next n RunInstances that are let through act, but their callers get InternalError. */
  public ThrottlingProxy loseAnswers(int n) {
    answersToLose.set(n);
    return this;
  }

  /** RunInstances calls forwarded to moto (not throttled, not answered from the ClientToken record). */
  public int runInstancesForwarded() {
    return runInstancesCalls.get();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Requests answered with RequestLimitExceeded so far. */
  public int throttled() {
    return throttled.get();
  }

  /** EC2's own kind of limit: a bucket of {@code burst} requests refilled at {@code perSecond}. */
  public static Policy tokenBucket(int burst, double perSecond) {
    return new Policy() {
      private double tokens = burst;
      private long last = System.nanoTime();

      @Override
      public synchronized boolean refuse(int nth) {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
        last = now;
        if (tokens >= 1) {
          tokens -= 1;
          return false;
        }
        return true;
      }
    };
  }

  /** System.nanoTime() of the first request of anAction (let through or not), or 0. */
  public long firstSeenNanos(String anAction) {
    return firstSeen.getOrDefault(anAction, new java.util.concurrent.atomic.AtomicLong()).get();
  }

  /** Nanoseconds the proxy spent answering requests of anAction (throttled ones included), summed. */
  public long busyNanos(String anAction) {
    return busy.getOrDefault(anAction, new java.util.concurrent.atomic.AtomicLong()).get();
  }

  /** System.nanoTime() of the last request of anAction that was let through, or 0. */
  public long lastAcceptedNanos(String anAction) {
    return lastAccepted.getOrDefault(anAction, new java.util.concurrent.atomic.AtomicLong()).get();
  }

  /** Requests received per action so far, throttled or not. */
  public Map<String, Integer> counts() {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    seen.forEach((k, v) -> counts.put(k, v.get()));
    return counts;
  }

  /** Requests received for the action, throttled or not. */
  public int seen(String anAction) {
    return seen.getOrDefault(anAction, new AtomicInteger()).get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    byte[] body = exchange.getRequestBody().readAllBytes();
    String requestAction = action(new String(body, StandardCharsets.UTF_8));
    firstSeen.computeIfAbsent(requestAction, k -> new java.util.concurrent.atomic.AtomicLong(start));
    try {
      forward(exchange, body, requestAction);
    } finally {
      busy.computeIfAbsent(requestAction, k -> new java.util.concurrent.atomic.AtomicLong())
          .addAndGet(System.nanoTime() - start);
    }
  }

  private void forward(HttpExchange exchange, byte[] body, String requestAction) throws IOException {
    try (exchange) {
      int nth = seen.computeIfAbsent(requestAction, k -> new AtomicInteger()).incrementAndGet();
      if (action.equals(requestAction) && policy.refuse(nth)) {
        throttled.incrementAndGet();
        reply(exchange, 503, "text/xml", THROTTLED.getBytes(StandardCharsets.UTF_8));
        return;
      }
      String clientToken = null;
      if ("RunInstances".equals(requestAction)) {
        String form = new String(body, StandardCharsets.UTF_8);
        clientToken = param(form, "ClientToken");
        byte[] earlier = clientToken == null ? null : answersByClientToken.get(clientToken);
        if (earlier != null) {
          boolean lose = loseAnswer();
          reply(exchange, lose ? 500 : 200, "text/xml", lose ? INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8) : earlier);
          return;
        }
        body = fulfilled(form).getBytes(StandardCharsets.UTF_8);
        runInstancesCalls.incrementAndGet();
      }
      lastAccepted.computeIfAbsent(requestAction, k -> new java.util.concurrent.atomic.AtomicLong())
          .set(System.nanoTime());
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
      if (clientToken != null && answer.statusCode() == 200) {
        answersByClientToken.put(clientToken, answer.body());
        if (loseAnswer()) {
          reply(exchange, 500, "text/xml", INTERNAL_ERROR.getBytes(StandardCharsets.UTF_8));
          return;
        }
      }
      reply(exchange, answer.statusCode(), type, answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean loseAnswer() {
    return answersToLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  /** The form with MinCount = MaxCount = min(MaxCount, capacity per call). */
  private String fulfilled(String form) {
    String max = param(form, "MaxCount");
    if (max == null) {
      return form;
    }
    int count = Math.min(Integer.parseInt(max), capacityPerCall);
    StringBuilder out = new StringBuilder();
    for (String pair : form.split("&")) {
      String kept = pair.startsWith("MinCount=") ? "MinCount=" + count
          : pair.startsWith("MaxCount=") ? "MaxCount=" + count : pair;
      out.append(out.length() == 0 ? "" : "&").append(kept);
    }
    return out.toString();
  }

  private static String param(String form, String name) {
    for (String pair : form.split("&")) {
      if (pair.startsWith(name + "=")) {
        return URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
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
