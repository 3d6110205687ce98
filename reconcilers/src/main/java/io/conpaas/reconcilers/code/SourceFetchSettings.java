package io.conpaas.reconcilers.code;

import java.time.Duration;
import java.util.List;

/**
 * How spec.code.source is fetched: the networks and hosts allowed besides public addresses
 * (code.sourceAllowedNetworks, e.g. an in-cluster Git server), the total time one fetch may take
 * (code.sourceTimeout), per-step connect and read timeouts, the redirect cap, and how many fetches
 * run at once (code.sourceFetchThreads).
 */
public record SourceFetchSettings(List<String> allowedNetworks, Duration timeout, Duration connectTimeout,
    Duration readTimeout, int maxRedirects, int threads) {

  public SourceFetchSettings {
    allowedNetworks = List.copyOf(allowedNetworks);
    allowedNetworks.forEach(n -> {
      if (Cidr.looksLikeAddress(n.trim())) {
        Cidr.parse(n); // Fails at start-up with the bad entry named, not at the first fetch.
      }
    });
  }

  /** Public destinations only, 5 minutes per fetch, 2 fetches at once. */
  public static SourceFetchSettings defaults() {
    return new SourceFetchSettings(List.of(), Duration.ofMinutes(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        5, 2);
  }

  public SourceFetchSettings withAllowedNetworks(List<String> networks) {
    return new SourceFetchSettings(networks, timeout, connectTimeout, readTimeout, maxRedirects, threads);
  }

  public SourceFetchSettings withTimeout(Duration total) {
    return new SourceFetchSettings(allowedNetworks, total, connectTimeout, readTimeout, maxRedirects, threads);
  }
}
