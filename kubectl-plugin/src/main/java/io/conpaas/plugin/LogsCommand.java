package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.Agent;
import io.fabric8.kubernetes.api.model.Event;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code logs}: the Kubernetes Events of a service and its agents, oldest first. */
@Command(name = "logs",
    header = "Show the events of a service and its agents.",
    description = {"Shows the Kubernetes Events of a service and of its agents (or of one agent with "
        + "--agent), oldest first: TIME, TYPE, REASON, OBJECT and MESSAGE.",
        "Streaming an agent's own log is not available yet: this shows Events only."})
final class LogsCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Option(names = "--agent", paramLabel = "AGENT", description = "Only the events of this agent (see agents).")
  String agent;

  @Mixin
  Output output;

  @Override
  public Integer call() {
    ServiceObject s = root.locator().find(root.namespace(), service);
    Set<String> agents = new TreeSet<>();
    AgentsCommand.agentsOf(root, s).forEach(a -> agents.add(a.getMetadata().getName()));
    if (agent != null) {
      if (!agents.contains(agent) && !EventLog.namedLikeAgentOf(agent, s.kind(), s.name())) {
        throw new CliException("agent '" + agent + "' is not an agent of " + s.ref() + "; its agents: "
            + (agents.isEmpty() ? "none" : String.join(", ", agents)));
      }
      agents.clear();
      agents.add(agent);
    }
    List<Event> all = root.client().v1().events().inNamespace(s.namespace()).list().getItems();
    if (agent == null) {
      all.stream().map(Event::getInvolvedObject)
          .filter(o -> o != null && "Agent".equals(o.getKind()) && o.getName() != null
              && EventLog.namedLikeAgentOf(o.getName(), s.kind(), s.name()))
          .forEach(o -> agents.add(o.getName()));
    }
    List<Event> events = EventLog.select(all, s.kind(), s.name(), agent == null, agents);
    output.printList(out(), err(), events, () -> {
      TableWriter t = new TableWriter("TIME", "TYPE", "REASON", "OBJECT", "MESSAGE");
      for (Event e : events) {
        String kind = e.getInvolvedObject().getKind();
        t.row(EventLog.time(e), e.getType(), e.getReason(),
            (Agent.class.getSimpleName().equals(kind) ? "agent" : kind.toLowerCase(Locale.ROOT))
                + "/" + e.getInvolvedObject().getName(), e.getMessage());
      }
      return t;
    }, "No events found for " + (agent == null ? s.ref() : "agent/" + agent) + " in namespace "
        + s.namespace() + ".");
    return 0;
  }
}
