package io.conpaas.operator;

import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.conpaas.api.v1alpha1.HtcJob;
import io.conpaas.api.v1alpha1.HtcService;
import io.conpaas.api.v1alpha1.HtcServiceSpec;
import io.conpaas.api.v1alpha1.HtcWorkerPool;
import io.conpaas.api.v1alpha1.InstanceTypeSpec;
import io.conpaas.api.v1alpha1.TaskFarmBag;
import io.conpaas.api.v1alpha1.TaskFarmExecution;
import io.conpaas.api.v1alpha1.TaskFarmService;
import io.conpaas.api.v1alpha1.TaskFarmServiceSpec;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.reconcilers.htc.HtcLedger;
import io.conpaas.reconcilers.taskfarm.TaskLedger;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bags benchmark (run by hack/bench-bags.sh, not by CI: the name matches neither surefire's nor
 * failsafe's patterns). BENCH_TASKS short tasks (sleep BENCH_TASK_SECONDS) on BENCH_WORKERS workers of one
 * instance type: TaskFarm BENCH_RUNS times (sample, then the fastest schedule = every worker), then HTC
 * once (BENCH_HTC=0 skips it) with a pool of the same size. Prints one line per run and a summary.
 */
class BagsBench {
  @TempDir
  static Path workDir;

  static int env(String name, int dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : Integer.parseInt(v);
  }

  static final int TASKS = env("BENCH_TASKS", 1000);
  static final int WORKERS = env("BENCH_WORKERS", 10);
  static final int RUNS = env("BENCH_RUNS", 5);
  static final String TASK_SECONDS = System.getenv().getOrDefault("BENCH_TASK_SECONDS", "0.2");
  static final boolean HTC = env("BENCH_HTC", 1) == 1;

  KubernetesClient client;
  String ns;

  @Test
  void bags() throws Exception {
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    ns = TestNamespace.create(client, "bench-bags");
    String cloudName = "local-" + ns;
    Cloud cloud = Fixtures.localCloud(cloudName, workDir);
    InstanceTypeSpec std = new InstanceTypeSpec("std", 0.6);
    cloud.getSpec().setInstanceTypes(List.of(std));
    client.resource(cloud).create();
    client.resource(Fixtures.application(ns, "bench", cloudName)).create();
    String bag = IntStream.rangeClosed(1, TASKS).mapToObj(i -> "sleep " + TASK_SECONDS + " && echo " + i)
        .collect(Collectors.joining("\n"));
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("bag").withNamespace(ns).endMetadata()
        .withData(Map.of("bag", bag)).build()).create();
    System.out.printf("bench-bags: %d tasks of 'sleep %s' on %d workers; TaskFarm %d runs%s%n", TASKS, TASK_SECONDS,
        WORKERS, RUNS, HTC ? ", HTC 1 run" : "");
    List<double[]> rows = new ArrayList<>();
    try (ConpaasOperator operator = TestOperator.start(TestOperator.settings(ns, workDir, Duration.ofSeconds(60), 3),
        TestOperator.localDrivers(workDir))) {
      for (int run = 1; run <= RUNS; run++) {
        rows.add(taskFarmRun(run));
      }
      if (HTC) {
        htcRun();
      }
      client.resources(TaskFarmService.class).inNamespace(ns).delete();
      client.resources(HtcService.class).inNamespace(ns).delete();
      await().atMost(Duration.ofMinutes(3)).until(() -> client.resources(Agent.class).inNamespace(ns).list().getItems()
          .isEmpty());
    } finally {
      client.resources(Cloud.class).withName(cloudName).delete();
    }
    String[] names = {"overhead ms/task", "utilisation (active)", "utilisation (makespan)", "predicted makespan s",
        "actual makespan s", "predicted cost", "spent"};
    if (rows.isEmpty()) {
      return;
    }
    System.out.println("bench-bags: TaskFarm summary over " + rows.size() + " runs (mean, min, max)");
    for (int c = 0; c < names.length; c++) {
      int col = c;
      var stats = rows.stream().mapToDouble(r -> r[col]).summaryStatistics();
      System.out.printf("bench-bags:   %-24s %9.3f %9.3f %9.3f%n", names[c], stats.getAverage(), stats.getMin(),
          stats.getMax());
    }
  }

  /** One TaskFarm run; returns overhead, utilisations, predicted/actual makespan and cost. */
  private double[] taskFarmRun(int run) {
    String name = "tf" + run;
    TaskFarmService s = new TaskFarmService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    TaskFarmServiceSpec spec = new TaskFarmServiceSpec();
    spec.setApplication("bench");
    spec.setBag(new TaskFarmBag(new ConfigMapKeyRef("bag", "bag")));
    spec.setMaxWorkersPerType(WORKERS);
    spec.setSampleSize(5);
    spec.setBillingUnitSeconds(60);
    spec.setTaskTimeoutSeconds(60);
    spec.setSchedule("fastest");
    s.setSpec(spec);
    long t0 = System.currentTimeMillis();
    client.resource(s).create();
    await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      TaskFarmService x = client.resources(TaskFarmService.class).inNamespace(ns).withName(name).get();
      return x.getStatus() != null && "Done".equals(x.getStatus().getPhase());
    });
    long wall = System.currentTimeMillis() - t0;
    TaskFarmService done = client.resources(TaskFarmService.class).inNamespace(ns).withName(name).get();
    TaskFarmExecution e = done.getStatus().getExecution();
    TaskLedger l = TaskLedger.fromJson(client.configMaps().inNamespace(ns).withName(name + "-taskfarm").get().getData()
        .get("ledger.json"));
    List<TaskLedger.Task> exec = l.tasks.stream().filter(t -> t.exec && "D".equals(t.state)).toList();
    double[] m = measure(exec, l.execStartMs);
    long workers = exec.stream().map(t -> t.vm).distinct().count();
    System.out.printf("bench-bags: taskfarm run %d: %d tasks on %d workers, overhead %.1f ms/task, utilisation %.3f "
            + "(active) %.3f (makespan), makespan predicted %.1f s actual %.1f s, cost predicted %.3f spent %.3f, "
            + "failed %d, wall %.1f s%n", run, exec.size(), workers, m[0], m[1], m[2], e.getPredictedMakespan(),
        e.getActualMakespan(), e.getPredictedCost(), e.getMoneySpent(), done.getStatus().getProgress().getFailed(),
        wall / 1000.0);
    breakdown("taskfarm run " + run, l, exec);
    client.resources(TaskFarmService.class).inNamespace(ns).withName(name).delete();
    awaitGone(name);
    return new double[] {m[0], m[1], m[2], e.getPredictedMakespan(), e.getActualMakespan(), e.getPredictedCost(),
        e.getMoneySpent()};
  }

  /** HTC: a pool of WORKERS, running first, then one online job of the bag; measured throughput and the same figures. */
  private void htcRun() {
    HtcService s = new HtcService();
    s.setMetadata(new ObjectMetaBuilder().withName("htc").withNamespace(ns).build());
    HtcServiceSpec spec = new HtcServiceSpec();
    spec.setApplication("bench");
    spec.setType(HtcServiceSpec.TYPE_ONLINE);
    spec.setTaskTimeoutSeconds(60);
    spec.setWorkerPools(new ArrayList<>(List.of(new HtcWorkerPool("std", WORKERS))));
    s.setSpec(spec);
    client.resource(s).create();
    await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> client.resources(Agent.class)
        .inNamespace(ns).withLabel(ApiConstants.LABEL_SERVICE, "htc").list().getItems().stream()
        .filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running).count() == WORKERS);
    long t0 = System.currentTimeMillis();
    // Again on a 409: status patches move the object on while the pool settles.
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
      client.resources(HtcService.class).inNamespace(ns).withName("htc").edit(x -> {
        HtcJob job = new HtcJob("bench");
        job.getBags().add(new ConfigMapKeyRef("bag", "bag"));
        x.getSpec().getJobs().add(job);
        return x;
      });
      return true;
    });
    await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(1)).until(() -> {
      var st = client.resources(HtcService.class).inNamespace(ns).withName("htc").get().getStatus();
      return st != null && st.getJobs().size() == 1 && "Done".equals(st.getJobs().get(0).getState());
    });
    var job = client.resources(HtcService.class).inNamespace(ns).withName("htc").get().getStatus().getJobs().get(0);
    HtcLedger l = HtcLedger.fromJson(client.configMaps().inNamespace(ns).withName("htc-htc").get().getData()
        .get("ledger.json"));
    List<TaskLedger.Task> ran = l.tasks.stream().filter(t -> "D".equals(t.state)).toList();
    long first = ran.stream().mapToLong(t -> t.assignedMs).min().orElse(t0);
    double[] m = measure(ran, first);
    System.out.printf("bench-bags: htc: %d tasks on %d workers, overhead %.1f ms/task, utilisation %.3f (active) "
            + "%.3f (from first dispatch), measured throughput %.0f tasks/h, from the job's addition %.1f s%n",
        ran.size(), ran.stream().map(t -> t.vm).distinct().count(), m[0], m[1], m[2], job.getMeasuredThroughput(),
        (ran.stream().mapToLong(t -> t.endMs).max().orElse(t0) - t0) / 1000.0);
  }

  /**
   * Where the time went: the model's inputs, then per worker VM its creation and first task start after the
   * execution began, its task count and its gaps between consecutive tasks (median, 90th percentile, max, ms).
   */
  static void breakdown(String what, TaskLedger l, List<TaskLedger.Task> exec) {
    System.out.printf("bench-bags: %s model: seconds per task %s, startup %.2f s, dispatch %.2f s%n", what,
        l.meanSeconds, l.startupSeconds, l.dispatchSeconds);
    exec.stream().collect(Collectors.groupingBy(t -> t.vm == null ? "-" : t.vm)).forEach((vm, ts) -> {
      List<TaskLedger.Task> sorted = ts.stream().sorted(Comparator.comparingLong(t -> t.startMs)).toList();
      long[] gaps = IntStream.range(1, sorted.size())
          .mapToLong(i -> Math.max(0, sorted.get(i).startMs - sorted.get(i - 1).endMs)).sorted().toArray();
      TaskLedger.Vm v = l.vms.get(vm);
      System.out.printf("bench-bags: %s worker %s: created %+.1f s, first start %+.1f s, last end %+.1f s, %d tasks, "
              + "gap ms median %d p90 %d max %d%n", what, vm,
          v == null ? Double.NaN : (v.createdMs - l.execStartMs) / 1000.0,
          (sorted.get(0).startMs - l.execStartMs) / 1000.0,
          (sorted.get(sorted.size() - 1).endMs - l.execStartMs) / 1000.0, sorted.size(),
          gaps.length == 0 ? 0 : gaps[gaps.length / 2], gaps.length == 0 ? 0 : gaps[gaps.length * 9 / 10],
          gaps.length == 0 ? 0 : gaps[gaps.length - 1]);
    });
  }

  /**
   * [0] scheduling overhead per task (ms): the mean idle gap between a worker's consecutive tasks;
   * [1] utilisation while active: task time over each worker's first start to last end;
   * [2] utilisation over the makespan: task time over workers x (last end - start).
   */
  static double[] measure(List<TaskLedger.Task> tasks, long startMs) {
    Map<String, List<TaskLedger.Task>> byVm = tasks.stream().collect(Collectors.groupingBy(t -> t.vm == null ? "-" : t.vm));
    double gaps = 0;
    int pairs = 0;
    double busy = 0;
    double active = 0;
    long last = 0;
    for (List<TaskLedger.Task> ts : byVm.values()) {
      List<TaskLedger.Task> sorted = ts.stream().sorted(Comparator.comparingLong(t -> t.startMs)).toList();
      for (int i = 0; i < sorted.size(); i++) {
        busy += sorted.get(i).endMs - sorted.get(i).startMs;
        if (i > 0) {
          gaps += Math.max(0, sorted.get(i).startMs - sorted.get(i - 1).endMs);
          pairs++;
        }
      }
      active += sorted.get(sorted.size() - 1).endMs - sorted.get(0).startMs;
      last = Math.max(last, sorted.get(sorted.size() - 1).endMs);
    }
    double overhead = pairs == 0 ? 0 : gaps / pairs;
    return new double[] {overhead, busy / active, busy / ((double) byVm.size() * (last - startMs))};
  }

  /**
   * Waits (5 min at most) until the service's workers are gone; on a loaded host releasing them can take longer:
   * then the next run starts anyway (its figures are its own) and the delay is printed.
   */
  private void awaitGone(String service) {
    long t0 = System.currentTimeMillis();
    try {
      await().atMost(Duration.ofMinutes(5)).until(() -> workers(service) == 0);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      System.out.printf("bench-bags: %s: %d workers still there after %.0f s; going on%n", service, workers(service),
          (System.currentTimeMillis() - t0) / 1000.0);
    }
  }

  private int workers(String service) {
    return client.resources(Agent.class).inNamespace(ns).withLabel(ApiConstants.LABEL_SERVICE, service).list()
        .getItems().size();
  }
}
