package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.conpaas.api.v1alpha1.TaskFarmBag;
import io.conpaas.api.v1alpha1.TaskFarmSchedule;
import io.conpaas.api.v1alpha1.TaskFarmService;
import io.conpaas.api.v1alpha1.TaskFarmServiceSpec;
import io.conpaas.api.v1alpha1.TaskFarmServiceStatus;
import io.conpaas.operator.testing.LocalVms;
import io.conpaas.operator.testing.OperatedWorld;
import io.conpaas.reconcilers.taskfarm.TaskLedger;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TaskFarmService end to end on the local Cloud: real operator, real agent processes running real
 * shell tasks as their VM's account; two instance types of different price, the slower one
 * slowed by the local Cloud's documented slowdown factor (InstanceTypeSpec.slowdown).
 */
class TaskFarmServiceIT {
  private static final Duration PHASE = Duration.ofSeconds(90);
  private static final String APP = "bags";

  @TempDir
  static Path workDir;

  static OperatedWorld world;
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void startOperator() {
    world = OperatedWorld.start("tf", APP, workDir, OperatedWorld.type("slow", 1.0, 2.0),
        OperatedWorld.type("fast", 3.0, 1.0));
    client = world.client();
    ns = world.namespace();
  }

  @AfterAll
  static void stopOperator() {
    world.stop(PHASE, TaskFarmService.class);
  }

  /**
   * 59 tasks that sleep 0.20 to 0.40 s (period 5, so every type's sample of 5 spread lines sees each length once)
   * and print their line, and on line 60 one that always fails.
   */
  static String bag(int good, boolean withFailing) {
    String tasks = IntStream.rangeClosed(1, good)
        .mapToObj(i -> "sleep 0." + (20 + 5 * (i % 5)) + " && echo out-" + i + " && id -u > /dev/null")
        .collect(Collectors.joining("\n"));
    return "# a bag of tasks (manual 2.8.2)\n" + tasks
        + (withFailing ? "\necho boom-" + (good + 1) + " >&2; exit 3" : "") + "\n";
  }

  static TaskFarmService farm(String name, String bagConfigMap, String mode) {
    TaskFarmService s = new TaskFarmService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    TaskFarmServiceSpec spec = new TaskFarmServiceSpec();
    spec.setApplication(APP);
    spec.setBag(new TaskFarmBag(new ConfigMapKeyRef(bagConfigMap, "bag")));
    spec.setMode(mode);
    spec.setMaxAttempts(2);
    spec.setMaxWorkersPerType(2);
    spec.setTaskTimeoutSeconds(20);
    s.setSpec(spec);
    return s;
  }

  static void createBag(String name, String text) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withData(Map.of("bag", text)).build()).create();
  }

  static TaskFarmServiceStatus status(String name) {
    TaskFarmService s = client.resources(TaskFarmService.class).inNamespace(ns).withName(name).get();
    return s == null || s.getStatus() == null ? new TaskFarmServiceStatus() : s.getStatus();
  }

  static TaskLedger ledger(String name) {
    ConfigMap cm = client.configMaps().inNamespace(ns).withName(name + "-taskfarm").get();
    return TaskLedger.fromJson(cm.getData().get("ledger.json"));
  }

  static void awaitPhase(String name, String phase, Duration within) {
    await().atMost(within).pollInterval(Duration.ofMillis(300))
        .until(() -> phase.equals(status(name).getPhase()));
  }

  static void choose(String name, String schedule) {
    world.edit(TaskFarmService.class, name, s -> { s.getSpec().setSchedule(schedule); return s; });
  }

  static List<Agent> workers(String service) {
    return world.agents(service);
  }

  @Test
  void sixtyTasksAreSampledScheduledAndRunCheapestThenFastest() {
    createBag("bag60", bag(59, true));
    client.resource(farm("cheap", "bag60", null)).create();
    client.resource(farm("quick", "bag60", null)).create();
    awaitPhase("cheap", "Ready", PHASE);
    awaitPhase("quick", "Ready", PHASE);
    TaskFarmServiceStatus ready = status("cheap");
    for (TaskFarmSchedule s : ready.getSchedules()) {
      System.out.printf("taskfarm schedule %-9s cost %6.2f makespan %6.1f s workers %s%n", s.getName(), s.getCost(),
          s.getMakespan(), s.getWorkers().stream().map(w -> w.getCount() + "x" + w.getInstanceType()).toList());
    }
    System.out.println("taskfarm samples " + ready.getSamples().stream()
        .map(x -> x.getInstanceType() + "=" + x.getMeanSeconds() + "s/" + x.getTasks()).toList());
    assertThat(ready.getSchedules()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(ready.getSamples()).hasSize(2);
    assertThat(ready.getSamples().stream().filter(x -> x.getInstanceType().equals("slow")).findFirst().orElseThrow()
        .getMeanSeconds()).as("the slow type is slower")
        .isGreaterThan(1.5 * ready.getSamples().stream().filter(x -> x.getInstanceType().equals("fast"))
            .findFirst().orElseThrow().getMeanSeconds());
    // While the user chooses, the sampling workers wait with no task (their first billing unit is paid).
    assertThat(ready.getProgress().getRunning()).isZero();

    runAndCheck("cheap", "cheapest");
    runAndCheck("quick", "fastest");
  }

  private void runAndCheck(String name, String schedule) {
    choose(name, schedule);
    awaitPhase(name, "Done", Duration.ofSeconds(150));
    TaskFarmServiceStatus done = status(name);
    System.out.printf("taskfarm %s (%s): predicted cost %.2f, spent %.2f; predicted makespan %.1f s, actual %.1f s;"
            + " %d done, %d failed, %d run again after a VM loss%n", name, schedule,
        done.getExecution().getPredictedCost(), done.getExecution().getMoneySpent(),
        done.getExecution().getPredictedMakespan(), done.getExecution().getActualMakespan(),
        done.getProgress().getDone(), done.getProgress().getFailed(), done.getExecution().getRerunAfterVmLoss());
    assertThat(done.getProgress().getDone()).isEqualTo(59);
    assertThat(done.getExecution().getRerunAfterVmLoss()).as("no VM was lost").isZero();
    assertThat(done.getProgress().getFailed()).isEqualTo(1);
    assertThat(done.getFailedTasks()).singleElement().satisfies(f -> {
      assertThat(f.getLine()).isEqualTo(60);
      assertThat(f.getExitCode()).isEqualTo(3);
      assertThat(f.getAttempts()).isEqualTo(2);
      assertThat(f.getOutputTail()).contains("boom-60");
    });
    TaskLedger l = ledger(name);
    // Where the time went: each worker's first task start and last task end after the execution began.
    l.tasks.stream().filter(t -> t.exec && t.startMs != null).collect(Collectors.groupingBy(t -> t.vm == null ? "-" : t.vm))
        .forEach((vm, ts) -> System.out.printf("taskfarm %s worker %s (%s): %d tasks, first start +%.1f s, last end +%.1f s%n",
            name, vm, ts.get(0).type, ts.size(), (ts.stream().mapToLong(t -> t.startMs).min().orElse(0) - l.execStartMs) / 1000.0,
            (ts.stream().mapToLong(t -> t.endMs).max().orElse(0) - l.execStartMs) / 1000.0));
    for (TaskLedger.Task t : l.tasks) {
      if (t.line <= 59) {
        assertThat(t.tail).as("output of line " + t.line).isEqualTo("out-" + t.line + "\n");
      }
    }
    assertThat(done.getExecution().getMoneySpent()).isLessThanOrEqualTo(done.getExecution().getPredictedCost());
    // Within a factor of 2 of the prediction: the runtimes were sampled minutes earlier, and an IT host's load
    // moves by more than that in between (CI saw 8.4 s for 6.6 s predicted, 11.9 s for 7.8 s at load 50). The
    // model is checked exactly against hand-computed cases (LedgerStepTest, the scheduling unit tests) and its
    // accuracy measured by hack/bench-bags.sh (README); this catches a prediction off by a factor.
    double predicted = done.getExecution().getPredictedMakespan();
    assertThat(done.getExecution().getActualMakespan()).isBetween(0.5 * predicted, 2.0 * predicted);
    await().atMost(PHASE).until(() -> workers(name).isEmpty());
  }

  @Test
  void killingAWorkerVmMidRunLosesNoTask() {
    createBag("bag30", IntStream.rangeClosed(1, 30).mapToObj(i -> "sleep 0.6 && echo out-" + i)
        .collect(Collectors.joining("\n")));
    TaskFarmService farm = farm("kill", "bag30", null);
    farm.getSpec().setSchedule("fastest");
    client.resource(farm).create();
    awaitPhase("kill", "Executing", PHASE);
    // The victim: a running worker that the ledger says holds tasks now.
    Agent victim = await().atMost(PHASE).pollInterval(Duration.ofMillis(100)).until(() -> {
      TaskLedger l = ledger("kill");
      return workers("kill").stream().filter(a -> a.getStatus() != null && a.getStatus().getPhase() == AgentPhase.Running)
          .filter(a -> l.tasks.stream().filter(t -> "A".equals(t.state) && a.getMetadata().getName().equals(t.agent))
              .count() >= 2)
          .findFirst().orElse(null);
    }, java.util.Objects::nonNull);
    long pid = LocalVms.pid(workDir, victim.getStatus().getInstanceId()).orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    awaitPhase("kill", "Done", Duration.ofSeconds(150));
    TaskFarmServiceStatus done = status("kill");
    System.out.printf("taskfarm kill: %d done, %d failed, %d run again after killing %s%n",
        done.getProgress().getDone(), done.getProgress().getFailed(), done.getExecution().getRerunAfterVmLoss(),
        victim.getMetadata().getName());
    assertThat(done.getProgress().getDone()).isEqualTo(30);
    assertThat(done.getProgress().getFailed()).isZero();
    assertThat(done.getExecution().getRerunAfterVmLoss()).isPositive();
    for (TaskLedger.Task t : ledger("kill").tasks) {
      assertThat(t.tail).isEqualTo("out-" + t.line + "\n");
    }
  }

  @Test
  void demoModeGoesThroughEveryPhaseWithoutAnyAgent() {
    createBag("bagdemo", bag(40, false));
    java.util.concurrent.atomic.AtomicInteger agentsSeen = new java.util.concurrent.atomic.AtomicInteger();
    io.fabric8.kubernetes.client.Watch watch = client.resources(Agent.class).inNamespace(ns)
        .withLabel(ApiConstants.LABEL_SERVICE, "demo").watch(new io.fabric8.kubernetes.client.Watcher<Agent>() {
          @Override
          public void eventReceived(Action action, Agent resource) {
            agentsSeen.incrementAndGet();
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
        });
    TaskFarmService farm = farm("demo", "bagdemo", TaskFarmServiceSpec.MODE_DEMO);
    client.resource(farm).create();
    awaitPhase("demo", "Ready", PHASE);
    assertThat(status("demo").getSchedules()).hasSizeGreaterThanOrEqualTo(3);
    choose("demo", "fastest");
    awaitPhase("demo", "Done", PHASE);
    TaskFarmServiceStatus done = status("demo");
    System.out.printf("taskfarm demo: predicted makespan %.1f s, simulated %.1f s, money %.2f%n",
        done.getExecution().getPredictedMakespan(), done.getExecution().getActualMakespan(), done.getMoneySpent());
    assertThat(done.getProgress().getDone()).isEqualTo(40);
    assertThat(done.getMoneySpent()).isZero();
    watch.close();
    assertThat(agentsSeen.get()).as("Agent events of the demo service").isZero();
  }
}
