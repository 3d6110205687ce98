package io.conpaas.reconcilers.vpn;

import io.conpaas.agent.api.AgentInfo;
import io.conpaas.agent.api.VpnConfig;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.reconcilers.agentclient.AgentClient;
import io.conpaas.reconcilers.agentclient.AgentIdentity;
import io.conpaas.reconcilers.cloud.CachedResources;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Agent reconciler's VPN step: pushes a live agent its VPN configuration (address and peer
 * list, see {@link VpnPeers}) over the mutual-TLS channel when it differs from the one the agent
 * last confirmed (status.vpnPeersHash), and records the facts it answers with (its public key).
 */
public final class VpnPeerSync {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VpnPeerSync.class);
  private final AgentClient agents;
  private final CachedResources<Agent> allAgents;
  /**
   * The membership event source's cache once it exists: the informer whose event started a pass has
   * seen the change (another informer of Agents may lag, and the pass would push the old list).
   */
  private volatile io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<Agent, Agent>
      membership;

  private final java.util.List<String> relays;

  public VpnPeerSync(AgentClient agents, CachedResources<Agent> allAgents) {
    this(agents, allAgents, java.util.List.of());
  }

  /** relays: ip:port of each UDP relay (vpn.bootstrapNodes). */
  public VpnPeerSync(AgentClient agents, CachedResources<Agent> allAgents, java.util.List<String> relays) {
    this.agents = agents;
    this.allAgents = allAgents;
    this.relays = java.util.List.copyOf(relays);
  }

  /** Reads the application's agents from the membership event source from now on. */
  public void readFrom(
      io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<Agent, Agent> source) {
    this.membership = source;
  }

  private java.util.Collection<Agent> agentsIn(String namespace) {
    var source = membership;
    if (source != null) {
      return source.list(namespace).toList();
    }
    return allAgents.all().stream().filter(a -> namespace.equals(a.getMetadata().getNamespace())).toList();
  }

  /** Pushes when needed; returns whether it pushed. An agent's refusal is an AgentAnsweredError. */
  public boolean sync(Agent agent, String endpoint) {
    Optional<VpnConfig> want = VpnPeers.of(agent, agentsIn(agent.getMetadata().getNamespace()), relays);
    if (want.isEmpty()) {
      return false;
    }
    String hash = VpnPeers.hash(want.get());
    boolean keyKnown = agent.getStatus().getFacts() != null
        && agent.getStatus().getFacts().get(VpnConfig.FACT_PUBLIC_KEY) != null;
    if (hash.equals(agent.getStatus().getVpnPeersHash()) && keyKnown) {
      return false;
    }
    long start = System.nanoTime();
    AgentInfo info = agents.putVpn(endpoint, AgentIdentity.of(agent), want.get());
    agent.getStatus().setFacts(new TreeMap<>(info.facts()));
    agent.getStatus().setVpnPeersHash(hash);
    // Membership changes are rare: one line each, with what it took (public keys are no secret, but not needed).
    LOG.info("Agent {}/{}: VPN {} with {} peers applied in {} ms", agent.getMetadata().getNamespace(),
        agent.getMetadata().getName(), want.get().address(), want.get().peers().size(),
        (System.nanoTime() - start) / 1_000_000);
    return true;
  }
}
