package io.conpaas.reconcilers.vpn;

import io.conpaas.api.v1alpha1.Agent;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Membership changes of an application's VPN as events for the Agent reconciler: when an agent
 * joins, leaves, is replaced or reports a new key or address, every other agent of its application
 * is reconciled (and gets its new peer list) at once, not at its next health check; so is every
 * agent of an application whose relay ({@link ApplicationRelay}) comes, goes or moves.
 */
public final class VpnMembership {
  private VpnMembership() {}

  public static InformerEventSource<Agent, Agent> eventSource(EventSourceContext<Agent> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(Agent.class, Agent.class)
        .withName("vpn-membership")
        // It holds every Agent: without managedFields (see LeanCache).
        .withItemStore(io.conpaas.reconcilers.LeanCache.<Agent>storeFor(context))
        .withOnAddFilter(VpnMembership::concerned)
        .withOnUpdateFilter((now, before) -> !view(now).equals(view(before)))
        .withOnDeleteFilter((a, unknownState) -> concerned(a))
        .withSecondaryToPrimaryMapper(changed -> peersOf(context, changed))
        .build(), context);
  }

  /** A VPN member or an application's relay. */
  private static boolean concerned(Agent a) {
    return a.getSpec() != null && (a.getSpec().getVpn() != null || ApplicationRelay.isRelay(a));
  }

  private static String view(Agent a) {
    return ApplicationRelay.isRelay(a) ? ApplicationRelay.view(a) : VpnPeers.membershipView(a);
  }

  private static Set<ResourceID> peersOf(EventSourceContext<Agent> context, Agent changed) {
    if (!concerned(changed)) {
      return Set.of();
    }
    return context.getPrimaryCache().list(changed.getMetadata().getNamespace())
        .filter(a -> !a.getMetadata().getName().equals(changed.getMetadata().getName()))
        .filter(a -> a.getSpec() != null && a.getSpec().getVpn() != null && VpnPeers.sameApplication(a, changed))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
