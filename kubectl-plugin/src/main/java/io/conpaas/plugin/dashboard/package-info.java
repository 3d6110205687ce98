/**
 * {@code kubectl conpaas dashboard}: the ConPaaS web front-end, served by the plugin on 127.0.0.1.
 *
 * <p>Identity: every call goes to the API server with the caller's own kubeconfig client (like
 * {@code kubectl proxy}); there is no login and no user database, RBAC decides, refusals are shown next to
 * the action with the API server's message. The local server still defends against other local users and
 * other sites in the same browser: loopback only, a random 256-bit token per run (entry URL, then an
 * HttpOnly SameSite=Strict cookie named per port), exact Host (DNS rebinding) and Origin/Sec-Fetch-Site
 * checks on every request (writes need the dashboard's own Origin), a strict Content-Security-Policy
 * (scripts from the jar only, no inline code, no framing).
 *
 * <p>Generic: {@link io.conpaas.plugin.dashboard.KindCatalog} describes every kind of the registry (roles,
 * scale role, fixed roles, features, the spec's OpenAPI schema from the CRD copies in the jar); the page
 * renders lists, service pages and create forms from it. Per-kind extras are keyed by feature, not kind
 * (CODE: versions, upload, activate, rollback; DATABASE: connect instructions, password reset); every
 * {@code status.endpoints} entry is a link (Hadoop, key-value status page, Selenium Grid UIs).
 *
 * <p>Live: {@link io.conpaas.plugin.dashboard.LiveUpdates} keeps watches (service kinds, Agents, Events,
 * CreditAccount) per open page and sends server-sent events; the page re-reads its view on a change.
 *
 * <p>In-cluster variant ({@code dashboard --in-cluster}, the chart's {@code dashboard.enabled}): the same
 * server on a Pod address with NO identity of its own (its ServiceAccount is bound to nothing and no token is
 * mounted; it reads no kubeconfig). Each request must carry the user's bearer token, which the
 * authenticating proxy in front of it puts there ({@code Authorization: Bearer}, e.g. oauth2-proxy's
 * {@code --pass-authorization-header} with an OIDC id token the API server accepts, or
 * {@code X-Forwarded-Access-Token}); {@link io.conpaas.plugin.dashboard.BearerCallers} builds one client per
 * token carrying only that token, and a request without one is answered 401 — there is nothing to fall back
 * to. Writes need the site's own Origin ({@link io.conpaas.plugin.dashboard.InClusterGuard}), as the proxy's
 * session cookie makes browsers send credentials cross-site. Clusters whose API server cannot trust the
 * issuer put an impersonating proxy (kube-oidc-proxy) between the dashboard and the API server
 * ({@code --api-server}); the dashboard itself never holds an impersonate right.
 */
package io.conpaas.plugin.dashboard;
