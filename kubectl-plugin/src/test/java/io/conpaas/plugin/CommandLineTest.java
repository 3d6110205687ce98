package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line itself, without a cluster: help, usage errors, completion. */
class CommandLineTest {
  static final String[] COMMANDS = {"list", "create", "usage", "add-nodes", "remove-nodes", "start", "stop",
      "terminate", "agents", "logs", "upload-code", "versions", "activate", "toggle-debug", "reset-password", "upload-dump", "connect", "kv", "hdfs",
      "completion"};

  @Test
  void everyCommandHasHelpAndNeedsNoClusterForIt() {
    for (String command : COMMANDS) {
      Plugin.Result r = run("--kubeconfig", "/nonexistent", command, "--help");

      assertThat(r.exitCode()).as(command).isZero();
      assertThat(r.out()).as(command).contains("Usage: kubectl conpaas " + command);
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void theRootHelpListsTheCommandsAndHowToRunWithoutInstalling() {
    Plugin.Result r = run("--help");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("java -jar kubectl-plugin/target/kubectl-conpaas.jar")
        .contains("hack/install-plugin.sh").contains("add-nodes, add_nodes");
    for (String command : COMMANDS) {
      assertThat(r.out()).contains("  " + command);
    }
    assertThat(run().out()).isEqualTo(r.out());
    assertThat(run("help", "add-nodes").out()).contains("Usage: kubectl conpaas add-nodes");
  }

  @Test
  void usageErrorsAreOneLineWithExitCodeTwo() {
    Plugin.Result unknown = run("scale", "hw");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.errLines()).containsExactly(
        "error: Unmatched arguments from index 0: 'scale', 'hw' (see 'kubectl conpaas --help')");

    Plugin.Result missing = run("add-nodes", "hw");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errLines()).containsExactly(
        "error: Missing required parameter: 'N' (see 'kubectl conpaas add-nodes --help')");

    Plugin.Result timeout = run("terminate", "hw", "--timeout", "soon");
    assertThat(timeout.exitCode()).isEqualTo(2);
    assertThat(timeout.errLines()).hasSize(1).first().asString().contains("invalid duration 'soon'");

    Plugin.Result groupWithoutUser = run("--as-group", "admins", "list");
    assertThat(groupWithoutUser.exitCode()).isEqualTo(2);
    assertThat(groupWithoutUser.errLines()).containsExactly("error: --as-group needs --as");
  }

  @Test
  void toggleDebugTakesOnOrOffButNotBoth() {
    Plugin.Result both = run("toggle-debug", "web", "--on", "--off");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.errLines()).hasSize(1).first().asString().contains("mutually exclusive");

    assertThat(toggle("web").setting).isNull();
    assertThat(toggle("web", "--on").setting.on).isTrue();
    assertThat(toggle("web", "--off").setting.on).isFalse();
  }

  @Test
  void uploadCodeWaitsSixtySecondsForTheOperatorByDefault() {
    CommandLine.ParseResult parsed = new CommandLine(new ConpaasCommand()).parseArgs("upload-code", "web", "app.zip");
    UploadCodeCommand upload = (UploadCodeCommand) parsed.subcommand().commandSpec().userObject();

    assertThat(upload.timeout).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(upload.version).isNull();
    assertThat(upload.activate).isFalse();
    Plugin.Result missing = run("upload-code", "web");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errLines()).containsExactly(
        "error: Missing required parameter: 'FILE' (see 'kubectl conpaas upload-code --help')");
  }

  @Test
  void theMysqlCommandsHaveTheirDefaultsAndConPaasNames() {
    CommandLine cl = new CommandLine(new ConpaasCommand());
    ResetPasswordCommand reset = (ResetPasswordCommand) cl.parseArgs("reset-password", "db").subcommand()
        .commandSpec().userObject();
    assertThat(reset.timeout).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(reset.passwordStdin).isFalse();
    UploadDumpCommand dump = (UploadDumpCommand) new CommandLine(new ConpaasCommand())
        .parseArgs("upload-dump", "db", "dump.sql").subcommand().commandSpec().userObject();
    assertThat(dump.timeout).isEqualTo(java.time.Duration.ofSeconds(60));
    assertThat(run("set_password", "--help").out()).contains("Usage: kubectl conpaas reset-password");
    assertThat(run("load_dump", "--help").out()).contains("Usage: kubectl conpaas upload-dump");
    Plugin.Result missing = run("upload-dump", "db");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.errLines()).containsExactly(
        "error: Missing required parameter: 'FILE' (see 'kubectl conpaas upload-dump --help')");
    CreateCommand create = (CreateCommand) new CommandLine(new ConpaasCommand())
        .parseArgs("create", "mysql", "db", "--application", "demo").subcommand().commandSpec().userObject();
    assertThat(create.nodes).isNull();
  }

  @Test
  void terminateWaitsUnlessToldNotTo() {
    assertThat(terminate("hw").waitUntilGone).isTrue();
    assertThat(terminate("hw", "--wait").waitUntilGone).isTrue();
    assertThat(terminate("hw", "--no-wait").waitUntilGone).isFalse();
    assertThat(terminate("hw").timeout).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(terminate("hw", "--timeout", "90s").timeout).isEqualTo(java.time.Duration.ofSeconds(90));
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    Plugin.Result r = run("completion");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("complete -F _complete_kubectl-conpaas");
    for (String command : COMMANDS) {
      assertThat(r.out()).contains(command);
    }
  }

  @Test
  void printsAVersion() {
    Plugin.Result r = run("--version");

    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("kubectl-conpaas ");
    assertThat(new CommandLine(new ConpaasCommand()).getSubcommands()).containsKeys(COMMANDS);
  }

  private static TerminateCommand terminate(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "terminate";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult parsed = new CommandLine(new ConpaasCommand()).parseArgs(all);
    return (TerminateCommand) parsed.subcommand().commandSpec().userObject();
  }

  private static ToggleDebugCommand toggle(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "toggle-debug";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult parsed = new CommandLine(new ConpaasCommand()).parseArgs(all);
    return (ToggleDebugCommand) parsed.subcommand().commandSpec().userObject();
  }

  private static Plugin.Result run(String... args) {
    return Plugin.runWithoutCluster(ServiceKinds.standard(), args);
  }
}
