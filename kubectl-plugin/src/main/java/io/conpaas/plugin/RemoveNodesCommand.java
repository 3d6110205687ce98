package io.conpaas.plugin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code remove-nodes}: fewer agents for one role (cpsclient remove_nodes). */
@Command(name = "remove-nodes", aliases = "remove_nodes",
    header = "Remove agents from one role of a service (cpsclient remove_nodes).",
    description = "Removes N agents from one role, never below 0. The scale role changes through the "
        + "/scale subresource (as kubectl scale does); another role through a JSON merge patch of "
        + "spec.ROLE.nodes only. The operator releases the agents' VMs. Roles of a fixed size are refused "
        + "(a MySQL service has exactly one master).")
final class RemoveNodesCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "1", paramLabel = "N", description = "Agents to remove (at least 1).")
  int count;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role to shrink (default: the scale role).")
  String role;

  @Override
  public Integer call() {
    NodeCounts.requirePositive(count);
    ServiceObject s = root.locator().find(root.namespace(), service);
    String r = s.kind().requireScalableRole(role, s.ref());
    NodeCounts.Change c = root.patcher().changeNodes(s, r, -count);
    say(s.ref() + ": role " + r + " nodes " + c.before() + " -> " + c.after());
    return 0;
  }
}
