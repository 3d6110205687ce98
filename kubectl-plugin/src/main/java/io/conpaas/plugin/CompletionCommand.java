package io.conpaas.plugin;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** {@code completion}: a bash completion script for the plugin's commands and options. */
@Command(name = "completion",
    header = "Print a bash completion script.",
    description = {"Prints a bash completion script for kubectl-conpaas, its commands and options "
        + "(picocli AutoComplete). Load it with:",
        "  source <(kubectl conpaas completion)",
        "then complete with kubectl-conpaas <TAB>."})
final class CompletionCommand extends PluginCommand {
  @Override
  public Integer call() {
    out().print(AutoComplete.bash("kubectl-conpaas", spec.root().commandLine()));
    out().flush();
    return 0;
  }
}
