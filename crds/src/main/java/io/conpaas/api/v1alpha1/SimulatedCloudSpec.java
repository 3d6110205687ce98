package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/**
 * Settings of the simulated cloud: VMs live in the operator's process (their agents answer the real
 * agent protocol over mutual TLS), with a boot time, a failure rate, EC2's eventual consistency and
 * EC2-style API rate limits.
 */
public class SimulatedCloudSpec {
  @Min(0)
  @Max(3600)
  @JsonPropertyDescription("Seconds from create until a VM runs and its agent answers (default 5).")
  private Double bootSeconds;

  @Min(0)
  @Max(1)
  @JsonPropertyDescription("Share of new VMs that fail to boot (FAILED after bootSeconds), 0 to 1 (default 0).")
  private Double failureRate;

  @Min(0)
  @Max(3600)
  @JsonPropertyDescription("Seconds a new VM stays missing from list answers, as EC2's DescribeInstances "
      + "may miss a fresh instance (default 1).")
  private Double describeLagSeconds;

  @Size(max = 3)
  @ValidationRule(value = "self.all(k, k in ['RunInstances', 'DescribeInstances', 'TerminateInstances'])",
      message = "keys must be RunInstances, DescribeInstances or TerminateInstances")
  @JsonPropertyDescription("Token bucket per API (RunInstances, DescribeInstances, TerminateInstances); a call "
      + "finding its bucket empty fails with RequestLimitExceeded. Defaults are EC2's: RunInstances 5 burst / 2 "
      + "per second, DescribeInstances 100 / 20, TerminateInstances 200 / 5.")
  private Map<String, SimulatedApiRate> apiRates;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port the simulated agents listen on, each at its VM's own loopback address "
      + "(default 5555).")
  private Integer agentPort;

  @Min(0)
  @Max(60)
  @JsonPropertyDescription("Seconds every agent waits before answering a request, as an overloaded VM would "
      + "(default 0).")
  private Double answerDelaySeconds;

  public Double getAnswerDelaySeconds() { return answerDelaySeconds; }
  public void setAnswerDelaySeconds(Double answerDelaySeconds) { this.answerDelaySeconds = answerDelaySeconds; }
  public Double getBootSeconds() { return bootSeconds; }
  public void setBootSeconds(Double bootSeconds) { this.bootSeconds = bootSeconds; }
  public Double getFailureRate() { return failureRate; }
  public void setFailureRate(Double failureRate) { this.failureRate = failureRate; }
  public Double getDescribeLagSeconds() { return describeLagSeconds; }
  public void setDescribeLagSeconds(Double describeLagSeconds) { this.describeLagSeconds = describeLagSeconds; }
  public Map<String, SimulatedApiRate> getApiRates() { return apiRates; }
  public void setApiRates(Map<String, SimulatedApiRate> apiRates) { this.apiRates = apiRates; }
  public Integer getAgentPort() { return agentPort; }
  public void setAgentPort(Integer agentPort) { this.agentPort = agentPort; }
}
