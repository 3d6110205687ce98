package io.conpaas.plugin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code add-nodes}: more agents for one role (cpsclient add_nodes). */
@Command(name = "add-nodes", aliases = "add_nodes",
    header = "Add agents to one role of a service (cpsclient add_nodes).",
    description = {"Adds N agents to one role. The scale role changes through the /scale subresource "
        + "(as kubectl scale does); another role through a JSON merge patch of spec.ROLE.nodes only. "
        + "Nothing else in the spec is touched.",
        "--cloud also sets the role's Cloud (a patch of spec.ROLE.cloud only) before the count changes.",
        "Roles of a fixed size are refused (a MySQL service has exactly one master: add slaves)."})
final class AddNodesCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Parameters(index = "1", paramLabel = "N", description = "Agents to add (at least 1).")
  int count;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role to grow (default: the scale role).")
  String role;

  @Option(names = "--cloud", paramLabel = "CLOUD", description = "Run the role's agents on this Cloud.")
  String cloud;

  @Override
  public Integer call() {
    NodeCounts.requirePositive(count);
    ServiceObject s = root.locator().find(root.namespace(), service);
    String r = s.kind().requireScalableRole(role, s.ref());
    ServicePatcher patcher = root.patcher();
    if (cloud != null) {
      Names.requireObjectName("cloud name", cloud);
      patcher.mergePatch(s, Patches.roleField(r, "cloud", cloud, null));
      say(s.ref() + ": role " + r + " runs on Cloud " + cloud);
    }
    NodeCounts.Change c = patcher.changeNodes(s, r, count);
    say(s.ref() + ": role " + r + " nodes " + c.before() + " -> " + c.after());
    return 0;
  }
}
