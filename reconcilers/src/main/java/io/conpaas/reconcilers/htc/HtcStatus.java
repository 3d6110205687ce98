package io.conpaas.reconcilers.htc;

import io.conpaas.api.v1alpha1.HtcJob;
import io.conpaas.api.v1alpha1.HtcJobStatus;
import io.conpaas.api.v1alpha1.HtcServiceSpec;
import io.conpaas.api.v1alpha1.HtcServiceStatus;
import io.conpaas.api.v1alpha1.HtcThroughputFunction;
import io.conpaas.api.v1alpha1.HtcThroughputPoint;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.TaskFarmFailedTask;
import io.conpaas.api.v1alpha1.TaskFarmProgress;
import io.conpaas.api.v1alpha1.TaskFarmSample;
import io.conpaas.api.v1alpha1.WorkerCount;
import io.conpaas.reconcilers.service.StatusCopy;
import io.conpaas.reconcilers.taskfarm.LedgerStep;
import io.conpaas.reconcilers.taskfarm.PricedTypes;
import io.conpaas.reconcilers.taskfarm.TaskLedger;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import java.util.ArrayList;
import java.util.List;

/** The HTC service's status blocks from its ledger (the common status comes first). Pure. */
final class HtcStatus {
  static final String WAITING = "Waiting";
  static final String SAMPLING = "Sampling";
  static final String RUNNING = "Running";
  static final String DONE = "Done";
  static final String REFUSED = "Refused";
  static final int FAILED_LISTED = 20;

  private HtcStatus() {}

  static HtcServiceStatus of(ServiceStatus common, HtcLedger l, String ledgerName, PricedTypes.Result types,
      HtcServiceSpec spec) {
    HtcServiceStatus s = StatusCopy.as(common, HtcServiceStatus.class);
    if (l == null) {
      return s;
    }
    s.setLedger(ledgerName);
    if (!l.secondsPerTask.isEmpty()) {
      HtcThroughputFunction f = new HtcThroughputFunction();
      f.setJob(l.sampleJob);
      List<ThroughputMath.TypeRate> rates = types.types().stream().filter(t -> l.secondsPerTask.containsKey(t.name()))
          .map(t -> new ThroughputMath.TypeRate(t.name(), l.secondsPerTask.get(t.name()), t.pricePerHour(),
              spec.workersPerTypeCap())).toList();
      List<ThroughputMath.Point> points = ThroughputMath.function(rates);
      f.setTmax(LedgerStep.round(ThroughputMath.tmax(points)));
      List<TaskFarmSample> samples = new ArrayList<>();
      l.secondsPerTask.forEach((type, secs) -> samples.add(new TaskFarmSample(type, l.sampled.getOrDefault(type, 0), secs)));
      f.setSamples(samples);
      List<HtcThroughputPoint> out = new ArrayList<>();
      for (ThroughputMath.Point p : points) {
        List<WorkerCount> workers = new ArrayList<>();
        for (int t = 0; t < rates.size(); t++) {
          if (p.counts()[t] > 0) {
            workers.add(new WorkerCount(rates.get(t).name(), p.counts()[t]));
          }
        }
        out.add(new HtcThroughputPoint(LedgerStep.round(p.cost()), LedgerStep.round(p.throughput()), workers));
      }
      f.setPoints(out);
      s.setThroughputFunction(f);
    }
    List<WorkerCount> configuration = new ArrayList<>();
    l.configuration.forEach((type, n) -> configuration.add(new WorkerCount(type, n)));
    s.setConfiguration(configuration);
    List<HtcJobStatus> jobs = new ArrayList<>();
    boolean online = HtcServiceSpec.TYPE_ONLINE.equals(spec.typeOrDefault());
    for (HtcJob job : spec.getJobs() == null ? List.<HtcJob>of() : spec.getJobs()) {
      jobs.add(job(job, l, online));
    }
    s.setJobs(jobs);
    s.setMoneySpent(spec.demoMode() ? 0.0 : LedgerStep.round(moneySpent(l, types)));
    List<TaskFarmFailedTask> failed = new ArrayList<>();
    l.tasks.stream().filter(t -> "F".equals(t.state)).limit(FAILED_LISTED).forEach(t -> failed.add(
        new TaskFarmFailedTask(t.line, t.cmd.length() > 200 ? t.cmd.substring(0, 200) : t.cmd,
            t.exit == null ? 0 : t.exit, t.failures, t.tail)));
    s.setFailedTasks(failed);
    if (l.waiting != null) {
      s.setMessage(s.getMessage() == null ? l.waiting : l.waiting + "; " + s.getMessage());
    }
    return s;
  }

  private static HtcJobStatus job(HtcJob job, HtcLedger l, boolean online) {
    HtcJobStatus j = new HtcJobStatus();
    j.setName(job.getName());
    HtcLedger.Job rec = l.jobs.get(job.getName());
    List<Task> tasks = l.ofJob(job.getName());
    long done = tasks.stream().filter(t -> "D".equals(t.state)).count();
    long failed = tasks.stream().filter(t -> "F".equals(t.state)).count();
    long running = tasks.stream().filter(t -> "A".equals(t.state)).count();
    j.setBags(rec == null ? 0 : rec.bags);
    j.setProgress(new TaskFarmProgress((int) done, (int) failed, (int) running, tasks.size()));
    j.setMeasuredThroughput(measuredThroughput(tasks));
    String message = rec == null ? null : rec.refused != null ? rec.refused : rec.missing;
    j.setMessage(message);
    boolean sampling = l.sampling && job.getName().equals(l.sampleJob);
    if (sampling) {
      j.setState(SAMPLING);
    } else if (rec != null && rec.refused != null && tasks.isEmpty()) {
      j.setState(REFUSED);
    } else if (!job.submitRequested() && !online) {
      j.setState(WAITING);
    } else if (done + failed == tasks.size() && rec != null && rec.missing == null
        && rec.bags == (job.getBags() == null ? 0 : job.getBags().size())) {
      j.setState(DONE);
    } else {
      j.setState(RUNNING);
    }
    return j;
  }

  /** Tasks per hour over the job's non-sample tasks done: their count over first start to last end (null: < 2). */
  static Double measuredThroughput(List<Task> tasks) {
    List<Task> ran = tasks.stream().filter(t -> "D".equals(t.state) && t.sampleType == null && t.startMs != null
        && t.endMs != null).toList();
    if (ran.size() < 2) {
      return null;
    }
    long first = ran.stream().mapToLong(t -> t.startMs).min().orElse(0);
    long last = ran.stream().mapToLong(t -> t.endMs).max().orElse(0);
    return last <= first ? null : LedgerStep.round(ran.size() * 3600_000.0 / (last - first));
  }

  private static double moneySpent(HtcLedger l, PricedTypes.Result types) {
    TaskLedger book = new TaskLedger();
    book.vms = l.vms;
    return book.moneySpent(types.prices(), 3600, false);
  }
}
