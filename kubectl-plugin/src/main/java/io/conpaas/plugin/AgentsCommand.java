package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentAddresses;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.ApiConstants;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code agents}: the virtual instances of a service (ConPaaS's list of instances). */
@Command(name = "agents",
    header = "List the agents (VMs) of a service.",
    description = "Lists the Agent objects labelled conpaas.io/service=SERVICE, ConPaaS's list of "
        + "instances: NAME, ROLE, PHASE, INSTANCE, PUBLIC, PRIVATE, VPN and CLOUD.")
final class AgentsCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Mixin
  Output output;

  @Override
  public Integer call() {
    ServiceObject s = root.locator().find(root.namespace(), service);
    List<Agent> agents = agentsOf(root, s);
    output.printList(out(), err(), agents, () -> {
      TableWriter t = new TableWriter("NAME", "ROLE", "PHASE", "INSTANCE", "PUBLIC", "PRIVATE", "VPN", "CLOUD");
      for (Agent a : agents) {
        AgentStatus st = a.getStatus();
        AgentAddresses ad = st == null ? null : st.getAddresses();
        t.row(a.getMetadata().getName(), a.getSpec() == null ? null : a.getSpec().getRole(),
            st == null ? null : st.getPhase(), st == null ? null : st.getInstanceId(),
            ad == null ? null : ad.getPublicAddress(), ad == null ? null : ad.getPrivateAddress(),
            ad == null ? null : ad.getVpn(), a.getSpec() == null ? null : a.getSpec().getCloud());
      }
      return t;
    }, "No agents found for " + s.ref() + " in namespace " + s.namespace() + ".");
    return 0;
  }

  /** The Agents of {@code s}, in role order, then by slot index, then by name. */
  static List<Agent> agentsOf(ConpaasCommand root, ServiceObject s) {
    List<String> roles = s.kind().roles();
    return root.client().resources(Agent.class).inNamespace(s.namespace())
        .withLabel(ApiConstants.LABEL_SERVICE, s.name()).list().getItems().stream()
        .filter(a -> {
          String kind = labels(a).get(ApiConstants.LABEL_SERVICE_KIND);
          return kind == null || kind.equals(s.kind().kind());
        })
        .sorted(Comparator.<Agent>comparingInt(a -> {
          int i = roles.indexOf(a.getSpec() == null ? null : a.getSpec().getRole());
          return i < 0 ? roles.size() : i;
        }).thenComparingInt(AgentsCommand::index).thenComparing(a -> a.getMetadata().getName()))
        .toList();
  }

  private static int index(Agent a) {
    try {
      return Integer.parseInt(labels(a).getOrDefault("conpaas.io/index", ""));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  private static Map<String, String> labels(Agent a) {
    return a.getMetadata().getLabels() == null ? Map.of() : a.getMetadata().getLabels();
  }
}
