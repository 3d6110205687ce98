package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.conpaas.api.v1alpha1.TaskFarmBag;
import io.conpaas.api.v1alpha1.TaskFarmExecution;
import io.conpaas.api.v1alpha1.TaskFarmService;
import io.conpaas.api.v1alpha1.TaskFarmServiceStatus;
import java.io.IOException;
import java.util.Locale;
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
        String bag = BagFiles.read(root.stdin(), need("FILE"));
        ConfigMapKeyRef ref = BagFiles.store(root.client(), root.namespace(), service + "-bag", bag);
        // Again on a 409: the operator's status patches move the object on while it works.
        ServicePatcher.retryingConflicts(() -> resource.edit(s -> {
          s.getSpec().setBag(new TaskFarmBag(ref));
          return s;
        }));
        say("stored " + BagFiles.tasks(bag) + " tasks in ConfigMap " + ref.getName() + " for " + service);
      }
      case schedules -> ScheduleChart.render(status(farm).getSchedules()).forEach(this::say);
      case choose -> {
        String schedule = need("SCHEDULE");
        if (status(farm).getSchedules().stream().noneMatch(s -> s.getName().equals(schedule))
            && status(farm).getPhase() != null && !"Sampling".equals(status(farm).getPhase())) {
          throw new CliException(schedule + " is not one of the schedules of " + service
              + " (kubectl conpaas taskfarm schedules " + service + ")");
        }
        ServicePatcher.retryingConflicts(() -> resource.edit(s -> {
          s.getSpec().setSchedule(schedule);
          return s;
        }));
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
}
