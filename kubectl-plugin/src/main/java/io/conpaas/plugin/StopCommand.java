package io.conpaas.plugin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stop}: release every agent but keep the service (cpsclient stop). */
@Command(name = "stop",
    header = "Stop a service, keeping its configuration (cpsclient stop).",
    description = "Patches spec.stopped to true and nothing else; the operator releases every agent and "
        + "keeps the service's configuration and code. start brings it back.")
final class StopCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Override
  public Integer call() {
    ServiceObject s = root.locator().find(root.namespace(), service);
    root.patcher().mergePatch(s, Patches.stopped(true));
    say(s.ref() + " stopping (spec.stopped=true)");
    return 0;
  }
}
