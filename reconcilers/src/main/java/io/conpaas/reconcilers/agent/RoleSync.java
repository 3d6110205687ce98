package io.conpaas.reconcilers.agent;

import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.ConfigHash;
import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.reconcilers.agentclient.AgentAnsweredError;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.code.CodeArchives;
import io.conpaas.reconcilers.code.ServiceCode;
import io.conpaas.reconcilers.model.AgentReasons;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.conpaas.reconcilers.vpn.VpnPeerSync;

/**
 * Brings a live agent up to its spec: code versions and credentials first (the configuration may
 * need them), then the role configuration, else a fresh /info so facts that move stay current.
 * Every call doubles as the health check: an AgentCallException means the agent did not answer.
 */
final class RoleSync {
  private final AgentClient agents;
  private final CodeArchives code;
  private final CredentialSource credentials;
  private final VpnPeerSync vpn;

  RoleSync(AgentClient agents, CodeArchives code, CredentialSource credentials) {
    this(agents, code, credentials, null);
  }

  /** vpn: the VPN step (null: none). */
  RoleSync(AgentClient agents, CodeArchives code, CredentialSource credentials, VpnPeerSync vpn) {
    this.agents = agents;
    this.code = code;
    this.credentials = credentials;
    this.vpn = vpn;
  }

  /** What keeps an answering agent from its spec, with the Degraded reason that says so. */
  record Blocked(String reason, String message) {}

  /** Empty when the agent runs its spec; else what it waits for (not an agent fault). */
  Optional<Blocked> sync(Agent agent, String endpoint) {
    try {
      return push(agent, endpoint);
    } catch (AgentAnsweredError e) {
      // It answered: alive and reachable. Waiting (and saying why) is right; replacing its VM
      // would repeat the same refusal on a new one, forever.
      return Optional.of(new Blocked(AgentReasons.AGENT_REFUSED, e.getMessage()));
    }
  }

  private Optional<Blocked> push(Agent agent, String endpoint) {
    AgentStatus st = agent.getStatus();
    boolean codeChanged;
    try {
      codeChanged = syncCode(agent, endpoint);
    } catch (MissingArchive e) {
      return Optional.of(new Blocked(AgentReasons.CODE_MISSING, e.getMessage()));
    }
    Optional<String> missing = syncCredentials(agent, endpoint);
    if (missing.isPresent()) {
      return Optional.of(new Blocked(AgentReasons.CREDENTIALS_MISSING, missing.get()));
    }
    // The VPN first: a role's configuration may name peers by their VPN addresses.
    boolean vpnPushed = vpn != null && vpn.sync(agent, endpoint);
    String want = ConfigHash.of(agent.getSpec().getConfig());
    if (!want.equals(st.getAppliedConfigHash())) {
      st.setPhase(AgentPhase.Configuring);
      AgentInfo info = agents.configure(endpoint, AgentIdentity.of(agent), agent.getSpec().getConfig());
      st.setAppliedConfigHash(info.configHash());
      st.setFacts(new TreeMap<>(info.facts()));
    } else if (!codeChanged && !vpnPushed) {
      // The health check reads /info, so facts that move (a slave's replication) stay current.
      st.setFacts(new TreeMap<>(agents.info(endpoint, AgentIdentity.of(agent)).facts()));
    }
    return Optional.empty();
  }

  /** A code version the spec lists that the operator's store lacks. */
  private static final class MissingArchive extends RuntimeException {
    MissingArchive(String message) {
      super(message, null, false, false);
    }
  }

  /** Whether the agent at endpoint answers its health check. */
  boolean healthy(Agent agent, String endpoint) {
    return agents.healthy(endpoint, AgentIdentity.of(agent));
  }

  /**
   * Sends the credentials of spec.credentialsSecret when the agent does not report their version
   * yet (a new VM, or a changed Secret: the password reset). Returns why it could not.
   */
  private Optional<String> syncCredentials(Agent agent, String endpoint) {
    String secret = agent.getSpec().getCredentialsSecret();
    if (secret == null || secret.isBlank()) {
      return Optional.empty();
    }
    Map<String, String> facts = agent.getStatus().getFacts();
    String held = facts == null ? null : facts.get(MysqlRoleKeys.CREDENTIALS_VERSION);
    String wanted = agent.getSpec().getConfig().get(MysqlRoleKeys.CREDENTIALS_VERSION);
    // The configuration names the Secret's version: no API read while the agent holds it.
    if (wanted != null && wanted.equals(held)) {
      return Optional.empty();
    }
    Optional<MysqlRoleKeys.Credentials> c = credentials.read(agent.getMetadata().getNamespace(), secret);
    if (c.isEmpty()) {
      return Optional.of("Secret " + secret + " with the service's passwords is missing or incomplete");
    }
    if (c.get().version().equals(held)) {
      return Optional.empty();
    }
    AgentInfo info = agents.putCredentials(endpoint, AgentIdentity.of(agent), c.get());
    agent.getStatus().setFacts(new TreeMap<>(info.facts()));
    return Optional.empty();
  }

  /**
   * Uploads the code versions the spec lists and the agent has not confirmed yet, from the
   * operator's store (the agent keeps them across its own restarts; a new VM starts empty).
   * Returns whether anything was uploaded.
   */
  private boolean syncCode(Agent agent, String endpoint) {
    List<String> want = agent.getSpec().getCodeVersions() == null ? List.of() : agent.getSpec().getCodeVersions();
    List<String> held = agent.getStatus().getCodeVersions() == null ? new ArrayList<>()
        : new ArrayList<>(agent.getStatus().getCodeVersions());
    Map<String, String> labels = agent.getMetadata().getLabels();
    ServiceCode service = new ServiceCode(agent.getMetadata().getNamespace(), agent.getSpec().getServiceKind(),
        labels.getOrDefault(ApiConstants.LABEL_SERVICE, ""));
    boolean uploaded = false;
    for (String version : want) {
      if (held.contains(version)) {
        continue;
      }
      Optional<Path> archive = code.archive(service, version);
      if (archive.isEmpty()) {
        // The operator's fault, not the agent's: it waits instead of counting as silent.
        throw new MissingArchive("code version " + version + " of " + service + " is not in the operator's store");
      }
      agents.uploadCode(endpoint, AgentIdentity.of(agent), version, archive.get());
      held.add(version);
      agent.getStatus().setCodeVersions(held);
      uploaded = true;
    }
    return uploaded;
  }
}
