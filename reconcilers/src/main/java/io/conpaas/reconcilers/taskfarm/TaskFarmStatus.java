package io.conpaas.reconcilers.taskfarm;

import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.TaskFarmExecution;
import io.conpaas.api.v1alpha1.TaskFarmFailedTask;
import io.conpaas.api.v1alpha1.TaskFarmProgress;
import io.conpaas.api.v1alpha1.TaskFarmSample;
import io.conpaas.api.v1alpha1.TaskFarmSchedule;
import io.conpaas.api.v1alpha1.TaskFarmServiceStatus;
import io.conpaas.api.v1alpha1.WorkerCount;
import io.conpaas.reconcilers.service.StatusCopy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The TaskFarm's status blocks from its ledger (the common status comes first). Pure. */
final class TaskFarmStatus {
  static final int FAILED_LISTED = 20;

  private TaskFarmStatus() {}

  static TaskFarmServiceStatus of(ServiceStatus common, TaskLedger l, String ledgerName, Map<String, Double> prices,
      int unitSeconds, boolean demo) {
    TaskFarmServiceStatus s = StatusCopy.as(common, TaskFarmServiceStatus.class);
    if (l == null) {
      return s;
    }
    s.setLedger(ledgerName);
    s.setPhase(l.phase);
    List<TaskFarmSchedule> schedules = new ArrayList<>();
    for (TaskLedger.Schedule sc : l.schedules) {
      List<WorkerCount> workers = new ArrayList<>();
      sc.workers.forEach((type, n) -> workers.add(new WorkerCount(type, n)));
      schedules.add(new TaskFarmSchedule(sc.name, sc.cost, sc.makespan, workers));
    }
    s.setSchedules(schedules);
    s.setProgress(new TaskFarmProgress((int) l.count("D"), (int) l.count("F"), (int) l.count("A"), l.tasks.size()));
    double spent = demo ? 0 : l.moneySpent(prices, unitSeconds, false);
    s.setMoneySpent(LedgerStep.round(spent));
    List<TaskFarmSample> samples = new ArrayList<>();
    l.meanSeconds.forEach((type, mean) -> samples.add(new TaskFarmSample(type, l.sampled.getOrDefault(type, 0), mean)));
    s.setSamples(samples);
    if (l.chosen != null) {
      TaskFarmExecution e = new TaskFarmExecution();
      e.setSchedule(l.chosen);
      e.setStartedAt(Instant.ofEpochMilli(l.execStartMs).toString());
      e.setPredictedCost(l.predictedCost);
      e.setPredictedMakespan(l.predictedMakespan);
      e.setMoneySpent(demo ? 0.0 : LedgerStep.round(l.moneySpent(prices, unitSeconds, true)));
      e.setActualMakespan(l.actualMakespan);
      e.setRerunAfterVmLoss(l.rerunAfterVmLoss);
      s.setExecution(e);
    }
    List<TaskFarmFailedTask> failed = new ArrayList<>();
    l.tasks.stream().filter(t -> "F".equals(t.state)).limit(FAILED_LISTED).forEach(t -> failed.add(
        new TaskFarmFailedTask(t.line, t.cmd.length() > 200 ? t.cmd.substring(0, 200) : t.cmd,
            t.exit == null ? 0 : t.exit, t.failures, t.tail)));
    s.setFailedTasks(failed);
    String progress = "phase " + l.phase + ": " + l.count("D") + "/" + l.tasks.size() + " done, " + l.count("F")
        + " failed";
    s.setMessage(s.getMessage() == null ? progress : progress + "; " + s.getMessage());
    return s;
  }
}
