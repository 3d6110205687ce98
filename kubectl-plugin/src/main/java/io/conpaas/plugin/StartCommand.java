package io.conpaas.plugin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start}: run a stopped service again (cpsclient start). */
@Command(name = "start",
    header = "Start a stopped service (cpsclient start).",
    description = "Patches spec.stopped to false and nothing else; the operator then starts the agents "
        + "the service's roles ask for.")
final class StartCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Override
  public Integer call() {
    ServiceObject s = root.locator().find(root.namespace(), service);
    root.patcher().mergePatch(s, Patches.stopped(false));
    say(s.ref() + " starting (spec.stopped=false)");
    return 0;
  }
}
