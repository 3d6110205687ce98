package io.conpaas.reconcilers;

import io.conpaas.reconcilers.credits.CreditSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Operator-wide settings (ConPaaS director.cfg): the cluster id tagged on every VM, the
 * operator's namespace, agent health timeout and attempts, resync periods, and the local
 * cloud's default work directory, the namespaces to watch (empty: all), how long a VM that
 * belongs to no Agent is left alone, how often each Cloud is checked and swept, and when so many
 * of one Cloud's agents stop answering at once (more than agentMaxUnhealthyShare of them within
 * agentUnhealthyWindow) that the operator suspects its own network and replaces none, the credit
 * system's settings (credits.enforce, credits.resync) and the VPN's address plan (vpn.*).
 */
public record OperatorSettings(
    String clusterId,
    String operatorNamespace,
    Duration agentHealthTimeout,
    int agentMaxAttempts,
    Duration runningResync,
    Duration inventoryMaxAge,
    Path localWorkDir,
    Set<String> namespaces,
    Duration orphanGracePeriod,
    Duration cloudResync,
    double agentMaxUnhealthyShare,
    Duration agentUnhealthyWindow,
    CreditSettings credits,
    io.conpaas.reconcilers.vpn.VpnSettings vpn) {

  /** Settings with the credit system's defaults (credits.enforce off) and ConPaaS's default VPN (172.16.0.0/12, 5 service bits). */
  public OperatorSettings(String clusterId, String operatorNamespace, Duration agentHealthTimeout, int agentMaxAttempts,
      Duration runningResync, Duration inventoryMaxAge, Path localWorkDir, Set<String> namespaces,
      Duration orphanGracePeriod, Duration cloudResync, double agentMaxUnhealthyShare, Duration agentUnhealthyWindow) {
    this(clusterId, operatorNamespace, agentHealthTimeout, agentMaxAttempts, runningResync, inventoryMaxAge,
        localWorkDir, namespaces, orphanGracePeriod, cloudResync, agentMaxUnhealthyShare, agentUnhealthyWindow,
        CreditSettings.defaults(), io.conpaas.reconcilers.vpn.VpnSettings.defaults());
  }

  /** These settings with other credit settings. */
  public OperatorSettings withCredits(CreditSettings credits) {
    return new OperatorSettings(clusterId, operatorNamespace, agentHealthTimeout, agentMaxAttempts, runningResync,
        inventoryMaxAge, localWorkDir, namespaces, orphanGracePeriod, cloudResync, agentMaxUnhealthyShare,
        agentUnhealthyWindow, credits, vpn);
  }

  /** These settings with other VPN settings. */
  public OperatorSettings withVpn(io.conpaas.reconcilers.vpn.VpnSettings vpn) {
    return new OperatorSettings(clusterId, operatorNamespace, agentHealthTimeout, agentMaxAttempts, runningResync,
        inventoryMaxAge, localWorkDir, namespaces, orphanGracePeriod, cloudResync, agentMaxUnhealthyShare,
        agentUnhealthyWindow, credits, vpn);
  }

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    if (agentMaxAttempts < 1) {
      throw new IllegalArgumentException("agent.maxAttempts must be at least 1, got " + agentMaxAttempts);
    }
    requirePositive("agent.healthTimeout", agentHealthTimeout);
    requirePositive("agent.runningResync", runningResync);
    requirePositive("cloud.resync", cloudResync);
    requirePositive("agent.unhealthyWindow", agentUnhealthyWindow);
    if (!(agentMaxUnhealthyShare > 0 && agentMaxUnhealthyShare <= 1)) {
      throw new IllegalArgumentException("agent.maxUnhealthyShare must be above 0 and at most 1 (1 never holds), got "
          + agentMaxUnhealthyShare);
    }
    if (orphanGracePeriod.isNegative()) {
      throw new IllegalArgumentException("orphans.gracePeriod must not be negative, got " + orphanGracePeriod);
    }
    if (inventoryMaxAge.isNegative()) {
      throw new IllegalArgumentException("inventory.maxAge must not be negative, got " + inventoryMaxAge);
    }
  }

  private static void requirePositive(String key, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + d);
    }
  }
}
