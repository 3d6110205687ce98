package io.conpaas.operator;

import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.reconcilers.OperatorSettings;
import io.conpaas.reconcilers.credits.CreditSettings;
import io.conpaas.reconcilers.code.SourceFetchSettings;
import io.conpaas.reconcilers.vpn.VpnSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Reads the operator's settings from a properties file (CONPAAS_CONFIG) and the environment,
 * the environment winning: {@code agent.healthTimeout} is CONPAAS_AGENT_HEALTH_TIMEOUT, etc.
 */
public final class OperatorConfig {
  private final Properties file;
  private final Map<String, String> env;

  public OperatorConfig(Properties file, Map<String, String> env) {
    this.file = file;
    this.env = env;
  }

  /** The configuration of this process: CONPAAS_CONFIG (if set) plus the environment. */
  public static OperatorConfig fromEnvironment() throws IOException {
    Properties p = new Properties();
    String path = System.getenv("CONPAAS_CONFIG");
    if (path != null && !path.isBlank()) {
      try (InputStream in = Files.newInputStream(Path.of(path))) {
        p.load(in);
      }
    }
    return new OperatorConfig(p, System.getenv());
  }

  /** A value by its dotted key (e.g. agent.healthTimeout) or its CONPAAS_ variable. */
  public String get(String key, String fallback) {
    String envName = "CONPAAS_" + key.replaceAll("([a-z])([A-Z])", "$1_$2").replace('.', '_').toUpperCase();
    String v = env.get(envName);
    if (v == null || v.isBlank()) {
      v = file.getProperty(key);
    }
    return v == null || v.isBlank() ? fallback : v.trim();
  }

  /** The settings; clusterId, when not configured, is the cluster's own (see ClusterIdentity), asked only then. */
  public OperatorSettings settings(Supplier<String> derivedClusterId) {
    // Checked first: a bad VPN setting refuses start before the cluster is asked anything.
    VpnSettings vpn = vpn();
    String clusterId = get("clusterId", null);
    return new OperatorSettings(
        clusterId != null ? clusterId : derivedClusterId.get(),
        get("namespace", "conpaas-system"),
        duration("agent.healthTimeout", "120s"),
        integer("agent.maxAttempts", "3"),
        duration("agent.runningResync", "5s"),
        duration("inventory.maxAge", "1s"),
        Path.of(get("local.workDir", io.conpaas.iaas.local.LocalIsolation.defaultWorkDir().toString())),
        Arrays.stream(get("namespaces", "").split(",")).map(String::trim).filter(n -> !n.isEmpty())
            .collect(Collectors.toSet()),
        duration("orphans.gracePeriod", "5m"),
        duration("cloud.resync", "30s"),
        share("agent.maxUnhealthyShare", "0.5"),
        duration("agent.unhealthyWindow", "60s"),
        new CreditSettings(Boolean.parseBoolean(get("credits.enforce", "false")), duration("credits.resync", "60s")),
        vpn);
  }

  /**
   * vpn.baseNetwork (172.16.0.0), vpn.netmask (255.240.0.0), vpn.serviceBits (5) and vpn.bootstrapNodes
   * (udp://ip:port or tcp://ip:port, separated by commas or white space), ConPaaS's VPN_* settings.
   */
  public VpnSettings vpn() {
    VpnSettings d = VpnSettings.defaults();
    String bits = get("vpn.serviceBits", Integer.toString(d.serviceBits()));
    int serviceBits;
    try {
      serviceBits = Integer.parseInt(bits);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("vpn.serviceBits must be a whole number, got '" + bits + "'");
    }
    return new VpnSettings(get("vpn.baseNetwork", d.baseNetwork()), get("vpn.netmask", d.netmask()), serviceBits,
        Arrays.stream(get("vpn.bootstrapNodes", "").split("[,\\s]+")).filter(n -> !n.isEmpty()).toList());
  }

  /** leaderElection, leaderElection.leaseName, leaderElection.identity (default host-pid). */
  public LeaderElectionSettings leaderElection() {
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return new LeaderElectionSettings(
        Boolean.parseBoolean(get("leaderElection", "false")),
        get("leaderElection.leaseName", "conpaas-operator"),
        get("leaderElection.identity", host + "-" + ProcessHandle.current().pid()),
        duration("leaderElection.leaseDuration", "15s"),
        duration("leaderElection.renewDeadline", "10s"),
        duration("leaderElection.retryPeriod", "2s"),
        true);
  }

  /**
   * code.storeDir, upload.bind, upload.port, upload.publicUrl, upload.urlLifetime, upload.requirePolicy,
   * upload.requestTimeout, code.* caps, code.sourceAllowedNetworks (comma-separated CIDRs or host names),
   * code.sourceTimeout.
   */
  public CodeSettings code() {
    ArchiveLimits d = ArchiveLimits.defaults();
    SourceFetchSettings source = SourceFetchSettings.defaults();
    return new CodeSettings(
        Path.of(get("code.storeDir", System.getProperty("user.home") + "/.cache/conpaas/code-store")),
        get("upload.bind", "127.0.0.1"),
        integer("upload.port", "8082"),
        get("upload.publicUrl", ""),
        duration("upload.urlLifetime", "10m"),
        Boolean.parseBoolean(get("upload.requirePolicy", "true")),
        new ArchiveLimits(longValue("code.maxUploadBytes", Long.toString(d.maxUploadBytes())),
            longValue("code.maxExpandedBytes", Long.toString(d.maxExpandedBytes())),
            integer("code.maxEntries", Integer.toString(d.maxEntries())),
            integer("code.maxRatio", Integer.toString(d.maxRatio()))),
        source.withAllowedNetworks(Arrays.stream(get("code.sourceAllowedNetworks", "").split(","))
                .map(String::trim).filter(n -> !n.isEmpty()).toList())
            .withTimeout(duration("code.sourceTimeout", "5m")),
        duration("upload.requestTimeout", "10m"));
  }

  private long longValue(String key, String fallback) {
    String v = get(key, fallback);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }

  public int healthPort() {
    return integer("health.port", "8081");
  }

  /** The agent jar the local cloud runs (next to the operator jar in a build). */
  public Path agentJar() {
    return Path.of(get("local.agentJar", "agent-runtime/target/conpaas-agent.jar")).toAbsolutePath();
  }

  private double share(String key, String fallback) {
    String v = get(key, fallback);
    try {
      return v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100 : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a share like 0.5 or 50%, got '" + v + "'");
    }
  }

  private int integer(String key, String fallback) {
    String v = get(key, fallback);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }

  /** Accepts 90s, 2m, 500ms, 1h or an ISO-8601 duration (PT90S). */
  Duration duration(String key, String fallback) {
    String v = get(key, fallback);
    try {
      if (v.startsWith("P") || v.startsWith("p")) {
        return Duration.parse(v);
      }
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
      throw new IllegalArgumentException(key + " must be a duration like 90s, 2m or 500ms, got '" + v + "'");
    }
  }
}
