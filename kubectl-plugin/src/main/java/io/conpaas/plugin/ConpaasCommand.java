package io.conpaas.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** Root of {@code kubectl conpaas}: ConPaaS's cpsclient as a kubectl plugin that talks to the API server. */
@Command(name = "kubectl conpaas",
    mixinStandardHelpOptions = true,
    versionProvider = ConpaasCommand.Version.class,
    usageHelpAutoWidth = true,
    header = "Manage ConPaaS services on Kubernetes (the cpsclient.py of ConPaaS 1.3.1).",
    description = {
        "Creates, scales, stops and terminates ConPaaS services, uploads and activates the code of PHP and "
            + "Java services, resets the password of MySQL services and loads dumps into them, and shows "
            + "agents and events, and reads and writes keys of key-value stores. It talks to the Kubernetes API "
            + "server (and, for upload-code and upload-dump, to the one-time upload URL the operator gives; for kv, "
            + "to the key-value service's own HTTP endpoint, as its clients do), never to agents or clouds, "
            + "with the credentials of your kubeconfig (--kubeconfig, else KUBECONFIG, else ~/.kube/config).",
        "Install it on PATH, so that `kubectl conpaas ...` works:",
        "  hack/install-plugin.sh [DIR]",
        "Run it without installing:",
        "  java -jar kubectl-plugin/target/kubectl-conpaas.jar COMMAND ...",
        ""},
    subcommands = {
        ListCommand.class, CreateCommand.class, UsageCommand.class, AddNodesCommand.class,
        RemoveNodesCommand.class, StartCommand.class, StopCommand.class, TerminateCommand.class,
        AgentsCommand.class, LogsCommand.class, UploadCodeCommand.class, VersionsCommand.class,
        ActivateCommand.class, ToggleDebugCommand.class, ResetPasswordCommand.class, UploadDumpCommand.class,
        ConnectCommand.class, KvCommand.class, HdfsCommand.class, CreditsCommand.class, CompletionCommand.class,
        CommandLine.HelpCommand.class, DoctorCommand.class, DashboardCommand.class,
        TaskFarmCommand.class, MapReduceCommand.class, HtcCommand.class, FsCommand.class},
    footer = {
        "",
        "SERVICE is a service's NAME, or TYPE/NAME (e.g. helloworld/hw) when kinds share a name.",
        "From cpsclient.py: create TYPE -> create TYPE NAME --application APP; usage ID -> usage SERVICE; "
            + "add_nodes and remove_nodes -> add-nodes and remove-nodes; set_password -> reset-password; "
            + "load_dump -> upload-dump; list, start, stop and terminate keep their names.",
        "Errors are one line on stderr with a non-zero exit code (2: bad usage); upload-dump adds a line "
            + "saying how much of the dump was applied."})
public final class ConpaasCommand implements Runnable, AutoCloseable {
  @Spec
  CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
      description = "Namespace of the services (default: the kubeconfig context's namespace, else default).")
  String namespace;

  @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "Kubeconfig file to use (default: KUBECONFIG, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "CONTEXT",
      description = "Kubeconfig context to use (default: its current context).")
  String context;

  @Option(names = "--as", scope = ScopeType.INHERIT, paramLabel = "USER",
      description = "Act as this user (impersonation), e.g. system:serviceaccount:NS:NAME.")
  String asUser;

  @Option(names = "--as-group", scope = ScopeType.INHERIT, paramLabel = "GROUP",
      description = "Act as a member of this group (with --as; repeatable).")
  List<String> asGroups = new ArrayList<>();

  private final ServiceKinds kinds;
  private InputStream stdin = System.in;
  private Supplier<PasswordInput.Terminal> terminal = PasswordInput::systemTerminal;
  private Config config;
  private KubernetesClient client;

  public ConpaasCommand() {
    this(ServiceKinds.standard());
  }

  public ConpaasCommand(ServiceKinds kinds) {
    this.kinds = kinds;
  }

  public static void main(String... args) {
    int code;
    try (ConpaasCommand root = new ConpaasCommand()) {
      code = root.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }
    System.exit(code);
  }

  /** Runs one command line, printing to {@code out} and {@code err}; returns the exit code. */
  public int execute(PrintWriter out, PrintWriter err, String... args) {
    return commandLine(out, err).execute(args);
  }

  /** The picocli command line with the plugin's error handling: one line on stderr, non-zero exit. */
  public CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(this);
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      err.println("error: " + ErrorMessages.describe(ex, config == null ? null : config.getMasterUrl()));
      if (System.getenv("KUBECTL_CONPAAS_DEBUG") != null) {
        ex.printStackTrace(err);
      }
      err.flush();
      return ErrorMessages.exitCode(ex);
    });
    cl.setParameterExceptionHandler((ex, a) -> {
      Throwable cause = ex.getCause() instanceof CliException c ? c : ex;
      err.println("error: " + ErrorMessages.oneLine(cause.getMessage()) + " (see '"
          + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      err.flush();
      return 2;
    });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads what the user types from {@code stdin} and {@code terminal} (it may give null: no terminal). */
  ConpaasCommand withInput(InputStream stdin, Supplier<PasswordInput.Terminal> terminal) {
    this.stdin = stdin;
    this.terminal = terminal;
    return this;
  }

  /** The standard input of this run. */
  InputStream stdin() {
    return stdin;
  }

  /** The terminal of this run, for passwords; null when there is none. */
  PasswordInput.Terminal terminal() {
    return terminal.get();
  }

  /** The service kinds this run knows. */
  ServiceKinds kinds() {
    return kinds;
  }

  /** The namespace to work in: -n, else the kubeconfig context's, else "default". */
  String namespace() {
    if (namespace != null) {
      return namespace;
    }
    String ns = config().getNamespace();
    return ns == null || ns.isBlank() ? "default" : ns;
  }

  /** The namespace given with -n, or null (a manifest printed for GitOps then names none). */
  String explicitNamespace() {
    return namespace;
  }

  /** The client of this run, connected on first use. */
  KubernetesClient client() {
    if (client == null) {
      client = clientOf(config());
    }
    return client;
  }

  /** A client with exactly {@code config} (the dashboard's in-cluster mode builds one per user token). */
  static KubernetesClient clientOf(Config config) {
    // A plugin older than the operator must still read objects with fields it does not know.
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
        .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    return new KubernetesClientBuilder().withConfig(config)
        .withKubernetesSerialization(new io.fabric8.kubernetes.client.utils.KubernetesSerialization(mapper, true))
        .build();
  }

  ServiceLocator locator() {
    return new ServiceLocator(client(), kinds);
  }

  ServicePatcher patcher() {
    return new ServicePatcher(locator());
  }

  private Config config() {
    if (config == null) {
      Config c;
      if (kubeconfig != null) {
        if (!Files.isReadable(kubeconfig)) {
          throw new CliException("cannot read kubeconfig " + kubeconfig);
        }
        c = Config.fromKubeconfig(context, kubeconfig.toFile());
      } else {
        c = Config.autoConfigure(context);
      }
      if (context != null && (c.getCurrentContext() == null || !context.equals(c.getCurrentContext().getName()))) {
        throw new CliException("context '" + context + "' not found in the kubeconfig", 1);
      }
      if (asUser != null) {
        c.setImpersonateUsername(asUser);
        c.setImpersonateGroups(asGroups.toArray(String[]::new));
      } else if (!asGroups.isEmpty()) {
        throw new CliException("--as-group needs --as", 2);
      }
      c.setUserAgent("kubectl-conpaas/" + Version.version());
      // A command line should fail fast when the API server is unreachable, not back off for minutes.
      c.setRequestRetryBackoffLimit(1);
      config = c;
    }
    return config;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  /** The plugin's version, from the jar manifest. */
  public static final class Version implements IVersionProvider {
    static String version() {
      String v = ConpaasCommand.class.getPackage().getImplementationVersion();
      return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
      return new String[] {"kubectl-conpaas " + version()};
    }
  }
}
