package io.conpaas.operator.faults;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only fault (Sieve's "stale state" class): for its first seconds, the operator's caches of
 * Agents are served an old state. Every list of Agents is answered as of an old resourceVersion
 * (resourceVersionMatch=Exact: the API server reads that revision from etcd), and every watch of
 * Agents delivers nothing until the stale window ends (a field selector no Agent matches, no
 * bookmarks, and a timeout at the window's end); the informer then watches on from the old version
 * and catches up through the events it missed. Meanwhile every Agent created, changed or deleted
 * since that version is invisible or old to the operator. Enabled by
 * {@value #SETTING}={@code <resourceVersion>:<seconds>} and, as every test hook, only with
 * -D{@value CrashHooks#PROPERTY}={@value CrashHooks#ENABLED}.
 */
public final class StaleAgentReads implements Interceptor {
  private static final Logger LOG = LoggerFactory.getLogger(StaleAgentReads.class);
  public static final String SETTING = "CONPAAS_TEST_STALE_AGENTS";
  /** The name it is registered under in the client's interceptor chain. */
  public static final String NAME = "conpaas-stale-agents";
  /** Matches no Agent: a watch that stays open and delivers no event. */
  static final String NO_AGENT = "metadata.name=conpaas-test-stale-window";

  private final String resourceVersion;
  private final Instant until;
  private final Clock clock;

  StaleAgentReads(String resourceVersion, Instant until, Clock clock) {
    this.resourceVersion = resourceVersion;
    this.until = until;
    this.clock = clock;
  }

  /** The fault this process was started with, or null (no setting, or test hooks not enabled). */
  public static StaleAgentReads fromEnvironment() {
    return from(System.getProperty(CrashHooks.PROPERTY), System.getenv(SETTING), Clock.systemUTC());
  }

  static StaleAgentReads from(String property, String setting, Clock clock) {
    if (setting == null || setting.isBlank()) {
      return null;
    }
    if (!CrashHooks.ENABLED.equals(property)) {
      LOG.warn("{} ignored: test hooks need the JVM property -D{}={}", SETTING, CrashHooks.PROPERTY,
          CrashHooks.ENABLED);
      return null;
    }
    String[] p = setting.trim().split(":");
    if (p.length != 2 || !p[0].matches("[0-9]+") || !p[1].matches("[0-9]+")) {
      throw new IllegalArgumentException(SETTING + " must be <resourceVersion>:<seconds>, got '" + setting + "'");
    }
    LOG.warn("TEST HOOK ACTIVE: Agents read as of resourceVersion {} for {} s (never in production)", p[0], p[1]);
    return new StaleAgentReads(p[0], clock.instant().plus(Duration.ofSeconds(Long.parseLong(p[1]))), clock);
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    URI rewritten = rewrite(request.method(), request.uri());
    if (rewritten != null) {
      builder.uri(rewritten);
    }
  }

  /** The stale form of a list or watch of Agents while the window lasts; null: left alone. */
  URI rewrite(String method, URI uri) {
    long left = Duration.between(clock.instant(), until).toSeconds();
    if (left <= 0 || !"GET".equalsIgnoreCase(method) || uri.getRawPath() == null
        || !uri.getRawPath().endsWith("/agents")) {
      return null;
    }
    Map<String, String> q = query(uri.getRawQuery());
    if ("true".equals(q.get("watch")) || "1".equals(q.get("watch"))) {
      q.put("resourceVersion", resourceVersion);
      q.remove("allowWatchBookmarks"); // a bookmark would move the informer past the events it missed
      String fields = q.get("fieldSelector");
      q.put("fieldSelector", fields == null || fields.isBlank() ? NO_AGENT : fields + "," + NO_AGENT);
      q.put("timeoutSeconds", Long.toString(Math.max(1, left)));
    } else {
      q.put("resourceVersion", resourceVersion);
      q.put("resourceVersionMatch", "Exact");
    }
    StringBuilder b = new StringBuilder();
    q.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    URI stale = URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + b);
    LOG.warn("stale read of Agents: {}", stale.getRawQuery());
    return stale;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : pair.substring(eq + 1);
        q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
