package io.conpaas.reconcilers.vpn;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentVpnSpec;
import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.api.v1alpha1.ServiceRef;
import io.conpaas.api.v1alpha1.ServiceResource;
import io.conpaas.api.v1alpha1.ServiceState;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.ServiceVpnStatus;
import io.conpaas.reconcilers.model.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's part of its application's private network in one pass, pure: whether the
 * application has one, the service's index and sub-block (assigned by the Application reconciler,
 * recorded in the Application's status), the host index of each of its Agents, and what its status says.
 */
public record ServiceVpn(State state, Integer serviceIndex, String subnet, String network) {
  public static final String EXHAUSTED_REASON = "VpnAddressSpaceExhausted";
  public static final String UNREACHABLE_REASON = "VpnPeersUnreachable";

  /** DISABLED: no VPN; PENDING: no index yet (Agents wait); ASSIGNED; EXHAUSTED: the application's block is full. */
  public enum State { DISABLED, PENDING, ASSIGNED, EXHAUSTED }

  /** What the Application says about this service. */
  public static ServiceVpn of(ServiceResource<?> service, Optional<Application> application) {
    if (application.isEmpty() || !enabled(application.get())) {
      return new ServiceVpn(State.DISABLED, null, null, null);
    }
    Application app = application.get();
    if (app.getStatus() == null || app.getStatus().getVpn() == null || app.getStatus().getVpn().getNetwork() == null) {
      return new ServiceVpn(State.PENDING, null, null, null);
    }
    String network = app.getStatus().getVpn().getNetwork();
    Optional<ServiceRef> ref = app.getStatus().getServices().stream()
        .filter(r -> service.getKind().equals(r.getKind()) && service.getMetadata().getName().equals(r.getName()))
        .findFirst();
    if (ref.isEmpty()) {
      return new ServiceVpn(State.PENDING, null, null, network);
    }
    // Listed without an index: the Application reconciler found every index taken.
    if (ref.get().getVpnServiceIndex() == null || ref.get().getVpnSubnet() == null) {
      return new ServiceVpn(State.EXHAUSTED, null, null, network);
    }
    return new ServiceVpn(State.ASSIGNED, ref.get().getVpnServiceIndex(), ref.get().getVpnSubnet(), network);
  }

  public static boolean enabled(Application app) {
    return app.getSpec() != null && app.getSpec().getVpn() != null
        && Boolean.TRUE.equals(app.getSpec().getVpn().getEnabled());
  }

  /** Whether the service must wait before creating Agents (they would get no address). */
  public boolean pending() {
    return state == State.PENDING;
  }

  /**
   * The desired Agents with their VPN place: an existing Agent (leaving ones too, until gone)
   * keeps its host index; a new one gets the lowest free. Agents beyond the block get none.
   */
  public List<Agent> place(List<Agent> desired, Collection<Agent> existing) {
    if (state != State.ASSIGNED) {
      return desired;
    }
    long base = Ipv4.parse(subnet.substring(0, subnet.indexOf('/')));
    int prefix = Integer.parseInt(subnet.substring(subnet.indexOf('/') + 1));
    long capacity = (1L << (32 - prefix)) - 1;
    Map<String, Integer> held = new LinkedHashMap<>();
    List<String> owners = new ArrayList<>();
    for (Agent a : existing) {
      owners.add(a.getMetadata().getName());
      if (a.getSpec() != null && a.getSpec().getVpn() != null && a.getSpec().getVpn().getHostIndex() != null) {
        held.put(a.getMetadata().getName(), a.getSpec().getVpn().getHostIndex());
      }
    }
    for (Agent a : desired) {
      if (!owners.contains(a.getMetadata().getName())) {
        owners.add(a.getMetadata().getName());
      }
    }
    Map<String, Integer> index = IndexAllocator.assign(owners, held, 1, capacity);
    for (Agent a : desired) {
      Integer i = index.get(a.getMetadata().getName());
      a.getSpec().setVpn(i == null ? null : new AgentVpnSpec(i, Ipv4.format(base + i), network));
    }
    return desired;
  }

  /** Agents of the plan that found the service's block full. */
  public static List<String> homeless(ServiceVpn vpn, List<Agent> desired) {
    return vpn.state != State.ASSIGNED ? List.of() : desired.stream()
        .filter(a -> a.getSpec().getVpn() == null).map(a -> a.getMetadata().getName()).toList();
  }

  /**
   * What the service's agents report they cannot reach over the VPN, one entry per agent, peers
   * named (agent and VPN address when the peer is one of the service's own, else its key's start).
   */
  public static List<String> unreachable(Collection<Agent> agents) {
    Map<String, Agent> byKey = new LinkedHashMap<>();
    for (Agent a : agents) {
      String key = a.getStatus() == null || a.getStatus().getFacts() == null ? null
          : a.getStatus().getFacts().get(io.conpaas.agent.api.VpnConfig.FACT_PUBLIC_KEY);
      if (key != null) {
        byKey.put(key, a);
      }
    }
    List<String> lines = new ArrayList<>();
    agents.stream().sorted(java.util.Comparator.comparing(a -> a.getMetadata().getName())).forEach(a -> {
      var down = VpnRoutes.down(a);
      if (!down.isEmpty() && a.getMetadata().getDeletionTimestamp() == null) {
        lines.add(a.getMetadata().getName() + " cannot reach " + String.join(", ", down.stream().map(k -> {
          Agent peer = byKey.get(k);
          return peer == null ? "peer " + k.substring(0, Math.min(8, k.length())) + "…"
              : peer.getMetadata().getName() + " (" + peer.getSpec().getVpn().getAddress() + ")";
        }).toList()));
      }
    });
    return lines;
  }

  /** The status with the service's block, and Degraded VpnAddressSpaceExhausted when it has none or it is full. */
  public ServiceStatus applyTo(ServiceStatus status, List<Condition> previous, List<String> homeless, Long generation,
      Instant now) {
    return applyTo(status, previous, homeless, List.of(), generation, now);
  }

  /**
   * Also Degraded VpnPeersUnreachable, naming them, when agents report peers they do not hear from
   * (an address-space problem comes first: it needs the user).
   */
  public ServiceStatus applyTo(ServiceStatus status, List<Condition> previous, List<String> homeless,
      List<String> unreachable, Long generation, Instant now) {
    status.setVpn(state == State.ASSIGNED ? new ServiceVpnStatus(serviceIndex, subnet) : null);
    String problem = state == State.EXHAUSTED
        ? "the application's network " + network + " has no free service block (vpn.serviceBits); this service's "
            + "agents are not on the VPN"
        : !homeless.isEmpty() ? "the service's block " + subnet + " is full; not on the VPN: " + String.join(", ", homeless)
        : null;
    String reason = EXHAUSTED_REASON;
    if (problem == null && state == State.ASSIGNED && !unreachable.isEmpty()) {
      problem = "VPN peers unreachable: " + String.join("; ", unreachable);
      reason = UNREACHABLE_REASON;
    }
    if (problem == null || status.getState() == ServiceState.ERROR) {
      return status;
    }
    List<Condition> conditions = new ArrayList<>();
    for (Condition c : status.getConditions()) {
      if (!ConditionTypes.DEGRADED.equals(c.getType())) {
        conditions.add(c);
      }
    }
    conditions.add(Conditions.of(previous, ConditionTypes.DEGRADED, true, reason, problem,
        generation, now));
    status.setConditions(conditions);
    status.setMessage(status.getMessage() + "; " + problem);
    return status;
  }
}
