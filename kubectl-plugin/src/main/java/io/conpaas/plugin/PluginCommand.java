package io.conpaas.plugin;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand shares: the root (client, namespace, kinds) and the output streams. */
abstract class PluginCommand implements Callable<Integer> {
  @ParentCommand
  ConpaasCommand root;

  @Spec
  CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints one line to stdout. */
  void say(String line) {
    out().println(line);
    out().flush();
  }

  /** Prints one warning line to stderr. */
  void warn(String line) {
    err().println("warning: " + line);
    err().flush();
  }
}
