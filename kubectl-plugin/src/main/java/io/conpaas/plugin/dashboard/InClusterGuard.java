package io.conpaas.plugin.dashboard;

import java.net.URI;
import java.util.Locale;

/**
 * Decides whether a request may reach the in-cluster dashboard, which has no identity of its own: every
 * request must carry the user's bearer token (put there by the authenticating proxy in front of it, as
 * {@code Authorization: Bearer} or oauth2-proxy's {@code X-Forwarded-Access-Token}), or it is refused with
 * 401 — there is nothing to fall back to. The proxy's session cookie makes the browser send credentials
 * on cross-site requests too, so writes need an Origin naming this site (the Host the request came by, or
 * the configured public origin) and Sec-Fetch-Site, when sent, must be same-origin. Pure: headers in,
 * verdict out.
 */
public final class InClusterGuard {
  private final String publicOrigin;

  /** {@code publicOrigin}: the scheme://host[:port] users open (null: any origin whose host is the request's Host). */
  public InClusterGuard(String publicOrigin) {
    this.publicOrigin = publicOrigin == null || publicOrigin.isBlank() ? null
        : publicOrigin.replaceAll("/+$", "").toLowerCase(Locale.ROOT);
  }

  /** The verdict on a request: its method, and the Host, Origin, Sec-Fetch-Site headers (null when absent) and token. */
  public RequestGuard.Verdict check(String method, String host, String origin, String fetchSite, String token) {
    if (token == null) {
      return RequestGuard.Verdict.NO_TOKEN;
    }
    boolean safe = "GET".equals(method) || "HEAD".equals(method);
    if (origin != null && !sameSite(origin, host)) {
      return RequestGuard.Verdict.CROSS_SITE;
    }
    if (!safe && origin == null) {
      return RequestGuard.Verdict.CROSS_SITE;
    }
    if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
      return RequestGuard.Verdict.CROSS_SITE;
    }
    return RequestGuard.Verdict.OK;
  }

  private boolean sameSite(String origin, String host) {
    String o = origin.toLowerCase(Locale.ROOT);
    if (publicOrigin != null) {
      return o.equals(publicOrigin);
    }
    try {
      URI u = URI.create(o);
      String authority = u.getRawAuthority();
      return authority != null && host != null && authority.equals(host.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The user's bearer token: from {@code Authorization: Bearer} first, else from {@code X-Forwarded-Access-Token};
   * null when neither carries one.
   */
  public static String token(String authorization, String forwardedAccessToken) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String t = authorization.substring(7).trim();
      if (!t.isEmpty()) {
        return t;
      }
    }
    if (forwardedAccessToken != null && !forwardedAccessToken.isBlank()) {
      return forwardedAccessToken.trim();
    }
    return null;
  }
}
