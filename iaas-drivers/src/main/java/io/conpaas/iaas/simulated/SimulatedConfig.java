package io.conpaas.iaas.simulated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * One simulated Cloud: where its VM journal lives, how long a VM boots, the share of VMs that
 * fail to boot, how long a new VM stays invisible to list (eventual consistency), the token bucket
 * of each API, the port its agents listen on and how long they wait before answering.
 */
public record SimulatedConfig(Path stateDir, Duration bootTime, double failureRate, Duration describeLag,
    Map<String, ApiRate> apiRates, int agentPort, Duration answerDelay) {
  /** The APIs the simulated cloud meters, named as EC2 names them. */
  public static final String RUN_INSTANCES = "RunInstances";
  public static final String DESCRIBE_INSTANCES = "DescribeInstances";
  public static final String TERMINATE_INSTANCES = "TerminateInstances";

  /**
   * EC2's documented defaults: RunInstances 5 burst / 2 per second, non-mutating (Describe*) 100 / 20,
   * mutating (TerminateInstances) 200 / 5.
   */
  public static final Map<String, ApiRate> EC2_RATES = Map.of(
      RUN_INSTANCES, new ApiRate(5, 2),
      DESCRIBE_INSTANCES, new ApiRate(100, 20),
      TERMINATE_INSTANCES, new ApiRate(200, 5));

  public SimulatedConfig {
    if (stateDir == null) {
      throw new IllegalArgumentException("stateDir is required");
    }
    if (bootTime.isNegative() || describeLag.isNegative() || answerDelay.isNegative()) {
      throw new IllegalArgumentException("bootSeconds, describeLagSeconds and answerDelaySeconds must not be negative");
    }
    if (!(failureRate >= 0 && failureRate <= 1)) {
      throw new IllegalArgumentException("failureRate must be between 0 and 1");
    }
    Map<String, ApiRate> rates = new TreeMap<>(EC2_RATES);
    for (String api : apiRates.keySet()) {
      if (!EC2_RATES.containsKey(api)) {
        throw new IllegalArgumentException("unknown API " + api + " in apiRates (known: " + EC2_RATES.keySet() + ")");
      }
    }
    rates.putAll(apiRates);
    apiRates = Map.copyOf(rates);
  }

  /** A config with defaults for what the spec leaves out: 5 s boot, no failures, 1 s lag, EC2's rates. */
  public static SimulatedConfig of(Path stateDir, Double bootSeconds, Double failureRate, Double describeLagSeconds,
      Map<String, ApiRate> apiRates, int agentPort) {
    return of(stateDir, bootSeconds, failureRate, describeLagSeconds, apiRates, agentPort, null);
  }

  /** The same with agents that wait answerDelaySeconds (default 0) before each answer: slow VMs. */
  public static SimulatedConfig of(Path stateDir, Double bootSeconds, Double failureRate, Double describeLagSeconds,
      Map<String, ApiRate> apiRates, int agentPort, Double answerDelaySeconds) {
    return new SimulatedConfig(stateDir, seconds(bootSeconds, 5), failureRate == null ? 0 : failureRate,
        seconds(describeLagSeconds, 1), apiRates == null ? Map.of() : apiRates, agentPort,
        seconds(answerDelaySeconds, 0));
  }

  private static Duration seconds(Double value, double otherwise) {
    double s = value == null ? otherwise : value;
    if (!(s >= 0) || s > 86_400) {
      throw new IllegalArgumentException("durations must be between 0 and 86400 seconds");
    }
    return Duration.ofNanos(Math.round(s * 1e9));
  }
}
