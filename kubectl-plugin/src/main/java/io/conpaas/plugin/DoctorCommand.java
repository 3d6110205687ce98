package io.conpaas.plugin;

import io.conpaas.plugin.doctor.Doctor;
import io.conpaas.plugin.doctor.DoctorSettings;
import io.conpaas.plugin.doctor.Finding;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code doctor}: ConPaaS's cpscheck, a table of checks of the installation with a fix for each failure. */
@Command(name = "doctor",
    header = "Check the ConPaaS installation (cpscheck).",
    description = {"Checks, through the API server: the CRDs are installed and match this plugin's version; "
        + "the operator is ready (its Deployment, else its leader-election Lease); every Cloud is Ready (with the "
        + "reason when not) and its credentials Secret exists; the code upload admission policy is installed; "
        + "this machine's clock agrees with the API server's.",
        "Prints CHECK, RESULT (OK, WARN, FAIL), DETAIL and FIX; exits 1 when a check fails."})
final class DoctorCommand extends PluginCommand {
  @Option(names = "--operator-namespace", paramLabel = "NAMESPACE", defaultValue = "conpaas-system",
      description = "Namespace of the operator's Deployment or Lease (default: ${DEFAULT-VALUE}).")
  String operatorNamespace;

  @Option(names = "--lease", paramLabel = "NAME", defaultValue = "conpaas-operator",
      description = "Name of the operator's leader-election Lease (default: ${DEFAULT-VALUE}).")
  String lease;

  @Option(names = "--max-skew", paramLabel = "DURATION", defaultValue = "5s",
      description = "Clock skew beyond which the check fails, e.g. 5s (default: ${DEFAULT-VALUE}).")
  String maxSkew;

  @Option(names = "--cloud", paramLabel = "NAME",
      description = "Check only this Cloud (repeatable; default: every Cloud).")
  List<String> clouds = new ArrayList<>();

  @Override
  public Integer call() {
    DoctorSettings settings = new DoctorSettings(operatorNamespace, lease, Durations.parse(maxSkew), clouds,
        Duration.ofSeconds(10), ConpaasCommand.Version.version());
    List<Finding> findings = new Doctor(root.client(), settings, Clock.systemUTC()).run();
    TableWriter table = new TableWriter("CHECK", "RESULT", "DETAIL", "FIX");
    findings.forEach(f -> table.row(f.check(), f.outcome(), f.detail(), f.fix()));
    out().print(table.render());
    out().flush();
    long failed = findings.stream().filter(Finding::failed).count();
    if (failed > 0) {
      err().println("error: " + failed + " check" + (failed == 1 ? "" : "s") + " failed");
      err().flush();
      return 1;
    }
    return 0;
  }
}
