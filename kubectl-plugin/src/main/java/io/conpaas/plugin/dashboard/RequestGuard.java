package io.conpaas.plugin.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Decides whether a request may reach the dashboard. The server listens on loopback only, but other
 * local users and any web page the user's browser opens can reach loopback too: so every request
 * needs the per-run token (in the cookie set by the entry URL), an exact Host (a DNS-rebinding page
 * sends its own host name), and writes need the dashboard's own Origin (CSRF). Pure: headers in, verdict out.
 */
public final class RequestGuard {
  /** What the guard says about one request. */
  public enum Verdict {
    /** Serve it. */
    OK,
    /** The entry URL with the right token: set the cookie and redirect to the page without the token. */
    ENTER,
    /** Host is not this server's loopback name and port (DNS rebinding). */
    BAD_HOST,
    /** A cross-site request (Origin or Sec-Fetch-Site of another site, or a write without Origin). */
    CROSS_SITE,
    /** No valid token. */
    NO_TOKEN
  }

  private final byte[] token;
  private final int port;
  private final Set<String> hosts;
  private final Set<String> origins;

  public RequestGuard(String token, int port) {
    this.token = token.getBytes(StandardCharsets.US_ASCII);
    this.port = port;
    this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
    this.origins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port);
  }

  /** The cookie's name: one per port, as cookies do not tell ports apart. */
  public String cookieName() {
    return "conpaas_dashboard_" + port;
  }

  /** The Set-Cookie value that carries the token: not readable by scripts, never sent cross-site. */
  public String cookie() {
    return cookieName() + "=" + new String(token, StandardCharsets.US_ASCII)
        + "; Path=/; HttpOnly; SameSite=Strict";
  }

  /**
   * The verdict on a request: {@code method}, the raw {@code query}, and the Host, Origin,
   * Sec-Fetch-Site and Cookie headers (null when absent).
   */
  public Verdict check(String method, String path, String query, String host, String origin, String fetchSite,
      String cookies) {
    if (host == null || !hosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
      return Verdict.BAD_HOST;
    }
    boolean safe = "GET".equals(method) || "HEAD".equals(method);
    if (origin != null && !origins.contains(origin)) {
      return Verdict.CROSS_SITE;
    }
    if (!safe && origin == null) {
      return Verdict.CROSS_SITE; // browsers send Origin with every fetch that writes; its absence is suspect
    }
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return Verdict.CROSS_SITE;
    }
    if (matches(cookieValue(cookies))) {
      return Verdict.OK;
    }
    if (safe && "/".equals(path) && matches(queryValue(query, "token"))) {
      return Verdict.ENTER;
    }
    return Verdict.NO_TOKEN;
  }

  private boolean matches(String candidate) {
    return candidate != null
        && MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.US_ASCII)); // constant time
  }

  private String cookieValue(String cookies) {
    if (cookies == null) {
      return null;
    }
    for (String part : cookies.split(";")) {
      String p = part.trim();
      if (p.startsWith(cookieName() + "=")) {
        return p.substring(cookieName().length() + 1);
      }
    }
    return null;
  }

  /** The value of {@code name} in a raw query string, or null. */
  static String queryValue(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
