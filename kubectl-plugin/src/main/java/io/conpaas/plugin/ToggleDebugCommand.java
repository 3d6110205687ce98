package io.conpaas.plugin;

import io.conpaas.plugin.ServiceKind.Feature;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code toggle-debug}: show or hide PHP errors in a PHP service's pages (ConPaaS toggle_debug). */
@Command(name = "toggle-debug", aliases = "toggle_debug",
    header = "Turn PHP error display on or off for a PHP service (ConPaaS toggle_debug).",
    description = "Flips spec.debug (unset counts as off), or sets it with --on or --off, through a merge "
        + "patch of spec.debug only; the operator pushes the setting to the backends.")
final class ToggleDebugCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "PHP service NAME or TYPE/NAME.")
  String service;

  @ArgGroup(exclusive = true)
  Setting setting;

  /** --on or --off; neither flips. */
  static final class Setting {
    @Option(names = "--on", required = true, description = "Show PHP errors in pages.")
    boolean on;

    @Option(names = "--off", required = true, description = "Hide PHP errors (the default).")
    boolean off;
  }

  @Override
  public Integer call() {
    ServiceObject s = root.kinds().require(root.locator().find(root.namespace(), service), Feature.DEBUG,
        "debug setting", "toggle-debug");
    boolean value = root.patcher().setDebug(s, setting == null ? null : setting.on);
    say(s.ref() + ": debug " + (value ? "on" : "off") + " (spec.debug=" + value + ")");
    return 0;
  }
}
