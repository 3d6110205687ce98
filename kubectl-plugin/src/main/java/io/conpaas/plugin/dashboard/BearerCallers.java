package io.conpaas.plugin.dashboard;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The in-cluster dashboard's callers: one API client per user bearer token (kept while in use, at most
 * {@link #MAX} of them, each closed after {@link #IDLE} without a request), keyed by the token's SHA-256.
 * The client carries only that token: no kubeconfig, no ServiceAccount, no impersonation.
 */
final class BearerCallers {
  static final int MAX = 100;
  static final Duration IDLE = Duration.ofMinutes(10);

  private final Function<String, KubernetesClient> clients;
  private final Function<KubernetesClient, DashboardApi> apis;
  private final KindCatalog catalog;
  private final AtomicInteger streams = new AtomicInteger();
  private final Clock clock;
  private final Map<String, Entry> byToken = new LinkedHashMap<>(16, 0.75f, true);

  private record Entry(Caller caller, KubernetesClient client, Instant used) {}

  /** {@code clients}: a client acting with one bearer token; {@code apis}: the calls made with such a client. */
  BearerCallers(Function<String, KubernetesClient> clients, Function<KubernetesClient, DashboardApi> apis,
      KindCatalog catalog, Clock clock) {
    this.clients = clients;
    this.apis = apis;
    this.catalog = catalog;
    this.clock = clock;
  }

  /** The caller acting with {@code token}. */
  synchronized Caller forToken(String token) {
    String key = sha256(token);
    Instant now = clock.instant();
    expire(now);
    Entry e = byToken.get(key);
    if (e == null) {
      KubernetesClient client = clients.apply(token);
      e = new Entry(new Caller(apis.apply(client), new LiveUpdates(client, catalog.kinds().all(), streams)), client, now);
    }
    byToken.put(key, new Entry(e.caller(), e.client(), now));
    while (byToken.size() > MAX) {
      Iterator<Entry> eldest = byToken.values().iterator();
      eldest.next().client().close();
      eldest.remove();
    }
    return e.caller();
  }

  synchronized int size() {
    return byToken.size();
  }

  private void expire(Instant now) {
    for (Iterator<Entry> it = byToken.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.used().plus(IDLE).isBefore(now)) {
        e.client().close();
        it.remove();
      }
    }
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
