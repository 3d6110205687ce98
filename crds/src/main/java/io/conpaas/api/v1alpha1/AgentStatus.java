package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Observed state of one agent VM, written by the Agent reconciler only. */
public class AgentStatus {
  @JsonPropertyDescription("Pending, Creating, Booting, Configuring, Running, Failed or Deleting.")
  private AgentPhase phase;
  @JsonPropertyDescription("The cloud's id of the VM.")
  private String instanceId;
  @JsonPropertyDescription("Idempotency key of the current VM, recorded before the cloud is called.")
  private String clientToken;
  @JsonPropertyDescription("Addresses of the VM.")
  private AgentAddresses addresses;
  @JsonPropertyDescription("host:port of the agent's HTTPS endpoint.")
  private String agentEndpoint;
  @JsonPropertyDescription("VMs started for this agent since it last ran (ConPaaS create_nodes retries).")
  private Integer attempts;
  @JsonPropertyDescription("VMs started for this agent in total; the client token is derived from it, "
      + "so every VM gets a token of its own.")
  private Integer vmSerial;
  @JsonPropertyDescription("When the current VM was created (RFC 3339).")
  private String vmCreatedAt;
  @JsonPropertyDescription("Hash of the configuration the agent last confirmed.")
  private String appliedConfigHash;
  @JsonPropertyDescription("What the agent's role reports about itself at /info, e.g. port, sessionPort, "
      + "activeVersion.")
  // Left out when empty: a server-side apply of {} after the agent manager owned keys turns facts
  // into null, which the schema refuses (a replaced VM's agent could never be recorded).
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  private Map<String, String> facts = new TreeMap<>();
  @JsonPropertyDescription("Code versions the agent confirmed it holds (web and backend roles).")
  private List<String> codeVersions = new ArrayList<>();
  @JsonPropertyDescription("Generation of the spec this status describes.")
  private Long observedGeneration;
  @JsonPropertyDescription("The last conpaas.io/reconcile-requested-at annotation value a reconcile acted on (\"reconcile now\").")
  private String lastReconcileRequest;
  @JsonPropertyDescription("Ready and Degraded.")
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("Human-readable detail, e.g. why the agent failed.")
  private String message;
  @JsonPropertyDescription("Since when (RFC 3339) the agent of a VM that ran has not answered; unset while it "
      + "answers. Several Agents of one Cloud unreachable at once hold every replacement (the operator's own "
      + "network is suspect).")
  private String unreachableSince;
  @JsonPropertyDescription("SHA-256 of the CA certificate the current VM's agent trusts (the operator refuses "
      + "to start with a different CA while such VMs exist).")
  private String caFingerprint;
  @JsonPropertyDescription("Failed attempts to release the VM while the Agent is being deleted (the retry "
      + "interval doubles with each).")
  private Integer releaseFailures;
  @JsonPropertyDescription("TLS bootstrap of the current VM's agent (absent for VMs whose context carried a "
      + "certificate).")
  private AgentTlsBootstrap tlsBootstrap;

  public AgentTlsBootstrap getTlsBootstrap() { return tlsBootstrap; }
  public void setTlsBootstrap(AgentTlsBootstrap tlsBootstrap) { this.tlsBootstrap = tlsBootstrap; }

  @JsonPropertyDescription("The launch batch the current VM is started in (absent for VMs started alone).")
  private AgentLaunchBatch launchBatch;

  public AgentLaunchBatch getLaunchBatch() { return launchBatch; }
  public void setLaunchBatch(AgentLaunchBatch launchBatch) { this.launchBatch = launchBatch; }

  @JsonPropertyDescription("Hash of the VPN peer list the agent last confirmed (the operator pushes a new one on "
      + "every membership change of the application).")
  private String vpnPeersHash;

  public String getVpnPeersHash() { return vpnPeersHash; }
  public void setVpnPeersHash(String vpnPeersHash) { this.vpnPeersHash = vpnPeersHash; }
  public AgentPhase getPhase() { return phase; }
  public void setPhase(AgentPhase phase) { this.phase = phase; }
  public String getInstanceId() { return instanceId; }
  public void setInstanceId(String instanceId) { this.instanceId = instanceId; }
  public String getClientToken() { return clientToken; }
  public void setClientToken(String clientToken) { this.clientToken = clientToken; }
  public AgentAddresses getAddresses() { return addresses; }
  public void setAddresses(AgentAddresses addresses) { this.addresses = addresses; }
  public String getAgentEndpoint() { return agentEndpoint; }
  public void setAgentEndpoint(String agentEndpoint) { this.agentEndpoint = agentEndpoint; }
  public Integer getAttempts() { return attempts; }
  public void setAttempts(Integer attempts) { this.attempts = attempts; }
  public Integer getVmSerial() { return vmSerial; }
  public void setVmSerial(Integer vmSerial) { this.vmSerial = vmSerial; }
  public String getVmCreatedAt() { return vmCreatedAt; }
  public void setVmCreatedAt(String vmCreatedAt) { this.vmCreatedAt = vmCreatedAt; }
  public String getAppliedConfigHash() { return appliedConfigHash; }
  public void setAppliedConfigHash(String appliedConfigHash) { this.appliedConfigHash = appliedConfigHash; }
  public Map<String, String> getFacts() { return facts; }
  public void setFacts(Map<String, String> facts) { this.facts = facts; }
  public List<String> getCodeVersions() { return codeVersions; }
  public void setCodeVersions(List<String> codeVersions) { this.codeVersions = codeVersions; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public String getLastReconcileRequest() { return lastReconcileRequest; }
  public void setLastReconcileRequest(String lastReconcileRequest) { this.lastReconcileRequest = lastReconcileRequest; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getUnreachableSince() { return unreachableSince; }
  public void setUnreachableSince(String unreachableSince) { this.unreachableSince = unreachableSince; }
  public String getCaFingerprint() { return caFingerprint; }
  public void setCaFingerprint(String caFingerprint) { this.caFingerprint = caFingerprint; }
  public Integer getReleaseFailures() { return releaseFailures; }
  public void setReleaseFailures(Integer releaseFailures) { this.releaseFailures = releaseFailures; }
}
