package io.conpaas.plugin.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The dashboard's HTTP server: the page's assets from the jar, the JSON calls of {@link DashboardApi} and
 * the live updates of {@link LiveUpdates}, in one of two modes. Local ({@link #start}): loopback only, one
 * identity (the caller's kubeconfig), a random token per run (entry URL → HttpOnly cookie), checked Host and
 * Origin ({@link RequestGuard}). In-cluster ({@link #startInCluster}): no identity of its own, each request
 * acts with the user's bearer token from the authenticating proxy ({@link InClusterGuard},
 * {@link BearerCallers}), none means 401. Bounded: a fixed thread pool, capped request bodies and a capped
 * number of live streams.
 */
public final class DashboardServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(DashboardServer.class.getName());
  private static final int MAX_JSON_BODY = 1 << 20;
  /** Upload size cap: the archive goes to a temporary file first. */
  static final long MAX_UPLOAD = 512L << 20;
  private static final int THREADS = LiveUpdates.MAX_STREAMS + 8;
  private static final String SECURITY_HEADERS_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

  private final HttpServer server;
  private final ExecutorService threads;
  /** Local mode: the per-run token and its guard; null in-cluster. */
  private final String token;
  private final RequestGuard guard;
  /** In-cluster mode: the guard and one caller per bearer token; null locally. */
  private final InClusterGuard inCluster;
  private final BearerCallers bearers;
  /** Local mode: the one caller. */
  private final Caller local;
  private final StaticAssets assets = new StaticAssets();

  private DashboardServer(HttpServer server, ExecutorService threads, String token, Caller local,
      InClusterGuard inCluster, BearerCallers bearers) {
    this.server = server;
    this.threads = threads;
    this.token = token;
    this.guard = token == null ? null : new RequestGuard(token, server.getAddress().getPort());
    this.local = local;
    this.inCluster = inCluster;
    this.bearers = bearers;
  }

  /** Starts serving {@code api} (the caller's own client) on 127.0.0.1:{@code port} (0: a free port). */
  public static DashboardServer start(int port, DashboardApi api) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    Caller caller = new Caller(api, new LiveUpdates(api.client(), api.catalog().kinds().all()));
    return serve(new DashboardServer(server, threads(), HexFormat.of().formatHex(random), caller, null, null));
  }

  /**
   * Starts the in-cluster server on {@code address}: each request acts with the bearer token it carries, through
   * a client from {@code clients} (token → client with that token only) and the calls of {@code apis}; writes
   * need an Origin of {@code publicOrigin} (null: the request's Host).
   */
  public static DashboardServer startInCluster(InetSocketAddress address, Function<String, KubernetesClient> clients,
      Function<KubernetesClient, DashboardApi> apis, KindCatalog catalog, String publicOrigin) throws IOException {
    HttpServer server = HttpServer.create(address, 50);
    BearerCallers bearers = new BearerCallers(clients, apis, catalog, Clock.systemUTC());
    return serve(new DashboardServer(server, threads(), null, null, new InClusterGuard(publicOrigin), bearers));
  }

  private static ExecutorService threads() {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "dashboard-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  private static DashboardServer serve(DashboardServer d) {
    d.server.createContext("/", d::handle);
    d.server.setExecutor(d.threads);
    d.server.start();
    return d;
  }

  /** The URL to open (local mode): it carries the token once, the page then lives on the cookie. */
  public URI entryUrl() {
    return URI.create("http://127.0.0.1:" + port() + "/?token=" + token);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      securityHeaders(ex);
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath();
      var h = ex.getRequestHeaders();
      String bearer = InClusterGuard.token(h.getFirst("Authorization"), h.getFirst("X-Forwarded-Access-Token"));
      RequestGuard.Verdict verdict = guard != null
          ? guard.check(method, path, ex.getRequestURI().getRawQuery(), h.getFirst("Host"), h.getFirst("Origin"),
              h.getFirst("Sec-Fetch-Site"), String.join("; ", h.getOrDefault("Cookie", java.util.List.of())))
          : inCluster.check(method, h.getFirst("Host"), h.getFirst("Origin"), h.getFirst("Sec-Fetch-Site"), bearer);
      switch (verdict) {
        case ENTER -> {
          ex.getResponseHeaders().add("Set-Cookie", guard.cookie());
          ex.getResponseHeaders().add("Location", "/");
          ex.sendResponseHeaders(303, -1);
          return;
        }
        case BAD_HOST -> {
          text(ex, 421, "Unknown host name: open the dashboard by the address kubectl conpaas dashboard printed.");
          return;
        }
        case CROSS_SITE -> {
          text(ex, 403, "Cross-site request refused.");
          return;
        }
        case NO_TOKEN -> {
          text(ex, 401, guard != null
              ? "Open the dashboard by the address (with its token) that kubectl conpaas dashboard printed."
              : "No bearer token: this dashboard acts only as you, reach it through the authenticating proxy.");
          return;
        }
        case OK -> { }
      }
      if (path.startsWith("/api/")) {
        api(ex, method, path, guard != null ? local : bearers.forToken(bearer));
      } else if ("GET".equals(method) || "HEAD".equals(method)) {
        asset(ex, path);
      } else {
        text(ex, 405, "Method not allowed.");
      }
    } catch (IOException | RuntimeException e) {
      LOG.fine(() -> "dashboard request failed: " + e);
    }
  }

  private void asset(HttpExchange ex, String path) throws IOException {
    StaticAssets.Asset a = assets.get("/".equals(path) ? "/index.html" : path);
    if (a == null) {
      text(ex, 404, "Not found.");
      return;
    }
    ex.getResponseHeaders().set("Content-Type", a.contentType());
    ex.sendResponseHeaders(200, a.bytes().length);
    ex.getResponseBody().write(a.bytes());
  }

  private void api(HttpExchange ex, String method, String path, Caller caller) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    DashboardApi api = caller.api();
    try {
      if ("/api/watch".equals(path) && "GET".equals(method)) {
        watch(ex, DashboardApi.namespace(RequestGuard.queryValue(query, "ns")), caller.live());
        return;
      }
      if ("/api/upload".equals(path) && "PUT".equals(method)) {
        json(ex, 200, upload(ex, query, api));
        return;
      }
      Object result = switch (method + " " + path) {
        case "GET /api/session" -> api.session();
        case "GET /api/services" -> api.services(RequestGuard.queryValue(query, "ns"));
        case "GET /api/service" -> api.service(RequestGuard.queryValue(query, "ns"),
            RequestGuard.queryValue(query, "kind"), RequestGuard.queryValue(query, "name"));
        case "POST /api/scale", "POST /api/stopped", "POST /api/terminate", "POST /api/create", "POST /api/activate",
            "POST /api/password" -> post(path, body(ex), api);
        default -> throw new ActionError(404, "No such call: " + method + " " + path);
      };
      json(ex, 200, result);
    } catch (Exception e) {
      ActionError error = ActionError.of(e);
      json(ex, error.status(), Map.of("error", error.getMessage()));
    }
  }

  @SuppressWarnings("unchecked")
  private static Object post(String path, Map<String, Object> b, DashboardApi api) {
    String ns = str(b, "ns");
    String kind = str(b, "kind");
    String name = str(b, "name");
    return switch (path) {
      case "/api/scale" -> api.scale(ns, kind, name, str(b, "role"), b.get("nodes") instanceof Number n
          ? n.intValue() : Integer.parseInt(String.valueOf(b.get("nodes")).trim()));
      case "/api/stopped" -> api.setStopped(ns, kind, name, Boolean.TRUE.equals(b.get("stopped")));
      case "/api/terminate" -> api.terminate(ns, kind, name, str(b, "confirm"));
      case "/api/create" -> api.create(ns, kind, name, b.get("spec") instanceof Map<?, ?> m
          ? (Map<String, Object>) m : Map.of());
      case "/api/activate" -> api.activate(ns, kind, name, str(b, "version"));
      case "/api/password" -> api.resetPassword(ns, kind, name, str(b, "password"));
      default -> throw new ActionError(404, "No such call.");
    };
  }

  private static Object upload(HttpExchange ex, String query, DashboardApi api) throws Exception {
    Path file = Files.createTempFile("conpaas-dashboard-", ".upload");
    try {
      long size = 0;
      try (InputStream in = ex.getRequestBody(); OutputStream out = Files.newOutputStream(file)) {
        byte[] buf = new byte[64 * 1024];
        for (int r; (r = in.read(buf)) >= 0; ) {
          size += r;
          if (size > MAX_UPLOAD) {
            throw new ActionError(413, "The archive is larger than " + (MAX_UPLOAD >> 20) + " MiB.");
          }
          out.write(buf, 0, r);
        }
      }
      return api.upload(RequestGuard.queryValue(query, "ns"), RequestGuard.queryValue(query, "kind"),
          RequestGuard.queryValue(query, "name"), RequestGuard.queryValue(query, "version"),
          "true".equals(RequestGuard.queryValue(query, "activate")), file);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void watch(HttpExchange ex, String ns, LiveUpdates live) throws IOException {
    if (!live.reserve()) {
      throw new ActionError(503, "Too many open dashboard pages.");
    }
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.sendResponseHeaders(200, 0);
    try {
      live.stream(ns, ex.getResponseBody());
    } catch (IOException e) {
      // the page went away
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> body(HttpExchange ex) throws IOException {
    byte[] bytes;
    try (InputStream in = ex.getRequestBody()) {
      bytes = in.readNBytes(MAX_JSON_BODY + 1);
    }
    if (bytes.length > MAX_JSON_BODY) {
      throw new ActionError(413, "Request too large.");
    }
    try {
      Object o = Serialization.jsonMapper().readValue(bytes, Object.class);
      if (o instanceof Map<?, ?> m) {
        return (Map<String, Object>) m;
      }
    } catch (IOException e) {
      // answered below
    }
    throw new ActionError(400, "The request is not a JSON object.");
  }

  private static String str(Map<String, Object> b, String key) {
    Object v = b.get(key);
    return v == null ? null : v.toString();
  }

  private static void securityHeaders(HttpExchange ex) {
    var h = ex.getResponseHeaders();
    h.set("Content-Security-Policy", SECURITY_HEADERS_CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Cache-Control", "no-store");
  }

  private static void json(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = Serialization.asJson(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void text(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }
}
