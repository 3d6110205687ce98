package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.CodeStatus;
import io.conpaas.plugin.ServiceKind.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code usage}: what a service supports: kind, roles, scale role and the commands that apply (cpsclient usage). */
@Command(name = "usage",
    header = "Show what a service supports (cpsclient usage).",
    description = "Shows a service's kind, its roles and which one is the scale role, its settings and "
        + "the commands that apply to it.")
final class UsageCommand extends PluginCommand {
  @Parameters(index = "0", paramLabel = "SERVICE", description = "Service NAME or TYPE/NAME.")
  String service;

  @Override
  public Integer call() {
    ServiceObject s = root.locator().find(root.namespace(), service);
    ServiceKind k = s.kind();
    String n = s.name();
    String nsFlag = " -n " + s.namespace();
    say(s.ref() + " in namespace " + s.namespace() + ": ConPaaS type " + k.type() + ", kind " + k.kind()
        + " (" + k.resource() + ")");
    say("application: " + orNone(s.application()) + ", state: " + orNone(s.state())
        + (s.stopped() ? " (stopped)" : ""));
    say("credits: " + CreditLines.of(root.client(), s.namespace()) + usedBy(s));
    say("");
    TableWriter roles = new TableWriter("ROLE", "NODES", "READY", "CLOUD", "SCALE ROLE");
    for (String r : k.roles()) {
      roles.row(r, s.nodes(r), s.ready(r) + "/" + s.desired(r), s.cloud(r), r.equals(k.scaleRole()) ? "yes" : "no");
    }
    roles.print(out());
    k.fixedRoles().forEach((r, why) -> say("role " + r + " has a fixed size: " + why));
    say("");
    say("settings: " + (k.settings().isEmpty() ? "none"
        : k.settings().stream().sorted().map(f -> "spec." + f).collect(Collectors.joining(", "))));
    if (k.has(Feature.CODE)) {
      CodeStatus code = s.code();
      say("code: serving " + orNone(code.getActive()) + ", spec.code.activeVersion " + orNone(s.requestedVersion())
          + ", " + code.getVersions().size() + " version" + (code.getVersions().size() == 1 ? "" : "s"));
    }
    if (k.has(Feature.DEBUG)) {
      say("debug: " + (s.debug() ? "on" : "off") + " (spec.debug)");
    }
    if (k.has(Feature.DATABASE)) {
      say("database: user " + s.databaseUser() + ", password in Secret " + s.passwordSecret() + ", master at "
          + orNone(s.endpoint()));
    }
    if (k.has(Feature.HDFS)) {
      say("hdfs: NameNode at " + orNone(s.endpoint()) + "; jobs: " + jobs(s));
      s.jobs().forEach(j -> say("  job " + j.getId() + ": " + j.getState()
          + (j.getApplication() == null ? "" : " (" + j.getApplication() + ")")));
    }
    say("");
    say("commands:");
    String roleOption = "[--role " + String.join("|", k.scalableRoles()) + "]";
    List<String> commands = new ArrayList<>(List.of(
        "add-nodes " + n + " " + roleOption + " [--cloud CLOUD] N",
        "remove-nodes " + n + " " + roleOption + " N",
        "stop " + n,
        "start " + n,
        "terminate " + n + " [--no-wait] [--timeout 5m]",
        "agents " + n,
        "logs " + n + " [--agent AGENT]"));
    if (k.has(Feature.CODE)) {
      commands.add("upload-code " + n + " FILE [--version VERSION] [--activate] [--timeout 60s]");
      commands.add("versions " + n);
      commands.add("activate " + n + " VERSION");
    }
    if (k.has(Feature.DEBUG)) {
      commands.add("toggle-debug " + n + " [--on|--off]");
    }
    if (k.has(Feature.DATABASE)) {
      commands.add("reset-password " + n + " [--password-stdin] [--timeout 90s]");
      commands.add("upload-dump " + n + " FILE [--timeout 60s]");
      commands.add("connect " + n);
    }
    if (k.has(Feature.HDFS)) {
      commands.add("hdfs ls " + n + " PATH");
      commands.add("hdfs put " + n + " LOCAL_FILE PATH");
      commands.add("hdfs get " + n + " PATH LOCAL_FILE|-");
      commands.add("mapreduce submit " + n + " JAR [ARGS...] [--input LOCAL=HDFS_PATH] [--wait]");
      commands.add("mapreduce jobs " + n);
    }
    if ("TaskFarmService".equals(k.kind())) {
      commands.add("taskfarm upload-bag " + n + " FILE|-");
      commands.add("taskfarm schedules " + n);
      commands.add("taskfarm choose " + n + " SCHEDULE");
      commands.add("taskfarm progress " + n);
    }
    if ("HtcService".equals(k.kind())) {
      commands.add("htc create-job " + n + " JOB FILE|-");
      commands.add("htc add " + n + " JOB FILE|-");
      commands.add("htc sample " + n + " JOB");
      commands.add("htc throughput " + n + " [T]");
      commands.add("htc configuration " + n + " T");
      commands.add("htc select " + n + " T");
      commands.add("htc submit " + n + " JOB");
    }
    commands.forEach(c -> say("  kubectl conpaas" + nsFlag + " " + c));
    say("  kubectl" + nsFlag + " scale " + k.ref(n) + " --replicas=N   (sets " + k.scaleRole() + " nodes)");
    say("  kubectl" + nsFlag + " get " + k.ref(n) + " -o yaml");
    return 0;
  }

  /** "; this service used N" when the namespace's account lists it. */
  private String usedBy(ServiceObject s) {
    try {
      return CreditLines.account(root.client(), s.namespace())
          .flatMap(a -> CreditLines.usedBy(a, s.kind().kind(), s.name()))
          .map(n -> "; this service used " + n).orElse("");
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return "";
    }
  }

  /** The master agent's job counts from its facts (MapReduceRoleKeys), e.g. "1 running, 3 succeeded, 0 failed". */
  private String jobs(ServiceObject s) {
    return root.client().resources(io.conpaas.api.v1alpha1.Agent.class).inNamespace(s.namespace())
        .withLabel(io.conpaas.api.v1alpha1.ApiConstants.LABEL_SERVICE, s.name())
        .withLabel(io.conpaas.api.v1alpha1.ApiConstants.LABEL_ROLE, "master").list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getFacts() != null)
        .map(a -> a.getStatus().getFacts())
        .filter(f -> f.containsKey("jobsRunning"))
        .map(f -> f.get("jobsRunning") + " running, "
            + f.get("jobsSucceeded") + " succeeded, "
            + f.get("jobsFailed") + " failed")
        .findFirst().orElse(TableWriter.NONE);
  }

  private static String orNone(String s) {
    return s == null ? TableWriter.NONE : s;
  }
}
