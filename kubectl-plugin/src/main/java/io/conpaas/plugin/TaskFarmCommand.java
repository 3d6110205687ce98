package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.conpaas.api.v1alpha1.TaskFarmBag;
import io.conpaas.api.v1alpha1.TaskFarmExecution;
import io.conpaas.api.v1alpha1.TaskFarmService;
import io.conpaas.api.v1alpha1.TaskFarmServiceStatus;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code taskfarm upload-bag|schedules|choose|progress}: a TaskFarmService's bag, schedules and progress. */
@Command(name = "taskfarm",
    header = "Upload a bag of tasks, show the schedules as a chart, choose one, show progress (TaskFarmService).",
    description = {"upload-bag SERVICE FILE: stores FILE (one shell task per line) in the ConfigMap SERVICE-bag and "
        + "points the service's spec.bag at it; the service reads it once, then samples.",
        "schedules SERVICE: the Pareto-optimal schedules as a cost/makespan chart and a table.",
        "choose SERVICE SCHEDULE: sets spec.schedule (e.g. cheapest or fastest); execution starts when Ready.",
        "progress SERVICE: phase, a progress bar, money spent, predicted and actual makespan, failed tasks."})
final class TaskFarmCommand extends PluginCommand {
  /** Largest bag file read (a bag's ledger must fit a ConfigMap). */
  static final int MAX_BAG_BYTES = 512 * 1024;

  enum Action { upload_bag, schedules, choose, progress }

  @Parameters(index = "0", paramLabel = "ACTION", description = "upload-bag, schedules, choose or progress.",
      converter = ActionConverter.class)
  Action action;

  @Parameters(index = "1", paramLabel = "SERVICE", description = "TaskFarm service NAME.")
  String service;

  @Parameters(index = "2", arity = "0..1", paramLabel = "ARG", description = "upload-bag: FILE; choose: SCHEDULE.")
  String argument;

  static final class ActionConverter implements picocli.CommandLine.ITypeConverter<Action> {
    @Override
    public Action convert(String value) {
      return Action.valueOf(value.replace('-', '_'));
    }
  }

  @Override
  public Integer call() throws IOException {
    var resource = root.client().resources(TaskFarmService.class).inNamespace(root.namespace()).withName(service);
    TaskFarmService farm = resource.get();
    if (farm == null) {
      throw new CliException("no TaskFarmService " + service + " in namespace " + root.namespace());
    }
    switch (action) {
      case upload_bag -> {
        String bag = readBag(need("FILE"));
        String name = service + "-bag";
        root.client().resource(new ConfigMapBuilder().withNewMetadata().withName(name)
            .withNamespace(root.namespace()).endMetadata().withData(Map.of("bag", bag)).build()).serverSideApply();
        resource.edit(s -> {
          s.getSpec().setBag(new TaskFarmBag(new ConfigMapKeyRef(name, "bag")));
          return s;
        });
        say("stored " + bag.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("#")).count()
            + " tasks in ConfigMap " + name + " for " + service);
      }
      case schedules -> ScheduleChart.render(status(farm).getSchedules()).forEach(this::say);
      case choose -> {
        String schedule = need("SCHEDULE");
        if (status(farm).getSchedules().stream().noneMatch(s -> s.getName().equals(schedule))
            && status(farm).getPhase() != null && !"Sampling".equals(status(farm).getPhase())) {
          throw new CliException(schedule + " is not one of the schedules of " + service
              + " (kubectl conpaas taskfarm schedules " + service + ")");
        }
        resource.edit(s -> {
          s.getSpec().setSchedule(schedule);
          return s;
        });
        say("schedule " + schedule + " chosen for " + service);
      }
      case progress -> progress(status(farm));
    }
    return 0;
  }

  private void progress(TaskFarmServiceStatus st) {
    say("phase " + (st.getPhase() == null ? "-" : st.getPhase()) + "  " + ScheduleChart.progressBar(st.getProgress(),
        40));
    say(String.format(Locale.ROOT, "money spent %.2f", st.getMoneySpent() == null ? 0.0 : st.getMoneySpent()));
    TaskFarmExecution e = st.getExecution();
    if (e != null) {
      say(String.format(Locale.ROOT, "schedule %s: predicted cost %.2f (spent %.2f), predicted makespan %.1f s%s",
          e.getSchedule(), e.getPredictedCost(), e.getMoneySpent() == null ? 0.0 : e.getMoneySpent(),
          e.getPredictedMakespan(), e.getActualMakespan() == null ? ""
              : String.format(Locale.ROOT, ", actual %.1f s", e.getActualMakespan())));
    }
    st.getFailedTasks().forEach(f -> say("failed line " + f.getLine() + " (exit " + f.getExitCode() + " after "
        + f.getAttempts() + " attempts): " + ErrorMessages.oneLine(String.valueOf(f.getOutputTail()))));
  }

  private static TaskFarmServiceStatus status(TaskFarmService farm) {
    return farm.getStatus() == null ? new TaskFarmServiceStatus() : farm.getStatus();
  }

  private String need(String what) {
    if (argument == null) {
      throw new CliException("taskfarm " + action.name().replace('_', '-') + " needs " + what);
    }
    return argument;
  }

  private String readBag(String file) throws IOException {
    return readBag(root.stdin(), file);
  }

  /** A bag file ("-": stdin) of at most MAX_BAG_BYTES (TaskFarm's and HTC's). */
  static String readBag(InputStream stdin, String file) throws IOException {
    try (InputStream in = "-".equals(file) ? stdin : Files.newInputStream(Path.of(file))) {
      byte[] bytes = in.readNBytes(MAX_BAG_BYTES + 1);
      if (bytes.length > MAX_BAG_BYTES) {
        throw new CliException(file + " is larger than " + MAX_BAG_BYTES + " bytes");
      }
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
