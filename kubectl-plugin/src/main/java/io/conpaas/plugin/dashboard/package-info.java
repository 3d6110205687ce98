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
 * <p>In-cluster variant (designed, not built): the same server as a Deployment behind the chart's optional
 * {@code dashboard.enabled} value, reached through an authenticating proxy (e.g. oauth2-proxy with the
 * cluster's OIDC issuer) that passes the verified user and groups in headers. The dashboard's own
 * ServiceAccount would hold only {@code impersonate} on users/groups (optionally restricted with
 * {@code resourceNames}) and would build one client per request with {@code Impersonate-User} /
 * {@code Impersonate-Group} from those headers, never acting as itself or as the operator; it would accept
 * the headers only from the proxy (NetworkPolicy plus a shared secret or mTLS), and keep the Origin and
 * CSRF checks (the token becomes a per-session cookie). Clusters whose API server accepts the same OIDC
 * tokens can instead forward the user's bearer token (no impersonation right at all).
 */
package io.conpaas.plugin.dashboard;
