package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.ConfigMapKeyRef;
import io.conpaas.api.v1alpha1.HtcJob;
import io.conpaas.api.v1alpha1.HtcJobStatus;
import io.conpaas.api.v1alpha1.HtcService;
import io.conpaas.api.v1alpha1.HtcServiceSpec;
import io.conpaas.api.v1alpha1.HtcServiceStatus;
import io.conpaas.api.v1alpha1.HtcThroughputFunction;
import io.conpaas.api.v1alpha1.HtcThroughputPoint;
import io.conpaas.api.v1alpha1.WorkerCount;
import io.conpaas.operator.testing.OperatedWorld;
import io.conpaas.reconcilers.htc.HtcLedger;
import io.conpaas.reconcilers.taskfarm.TaskLedger;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HtcService end to end on the local Cloud (manual 2.10): real operator, real agent processes running
 * real shell tasks; two instance types of different price, the cheaper one slowed down by the local
 * Cloud's documented slowdown factor, as in TaskFarmServiceIT.
 */
class HtcServiceIT {
  private static final Duration STEP = Duration.ofSeconds(60);
  private static final String APP = "htc";

  @TempDir
  static Path workDir;

  static OperatedWorld world;
  static KubernetesClient client;
  static String ns;

  @BeforeAll
  static void startOperator() {
    world = OperatedWorld.start("htc", APP, workDir, OperatedWorld.type("slow", 1.0, 2.0),
        OperatedWorld.type("fast", 3.0, 1.0));
    client = world.client();
    ns = world.namespace();
  }

  @AfterAll
  static void stopOperator() {
    world.stop(STEP, HtcService.class);
  }

  static ConfigMapKeyRef bag(String name, String text) {
    client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withData(Map.of("bag", text)).build()).create();
    return new ConfigMapKeyRef(name, "bag");
  }

  static String tasks(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> "sleep 1 && echo out-" + i).collect(Collectors.joining("\n"));
  }

  static HtcService htc(String name, String mode, String type, HtcJob... jobs) {
    HtcService s = new HtcService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    HtcServiceSpec spec = new HtcServiceSpec();
    spec.setApplication(APP);
    spec.setMode(mode);
    spec.setType(type);
    spec.setSampleSize(3);
    spec.setMaxWorkersPerType(3);
    spec.setTaskTimeoutSeconds(20);
    spec.setJobs(new ArrayList<>(List.of(jobs)));
    s.setSpec(spec);
    return s;
  }

  static HtcJob job(String name, ConfigMapKeyRef... bags) {
    HtcJob j = new HtcJob(name);
    j.setBags(new ArrayList<>(List.of(bags)));
    return j;
  }

  static HtcServiceStatus status(String name) {
    HtcService s = client.resources(HtcService.class).inNamespace(ns).withName(name).get();
    return s == null || s.getStatus() == null ? new HtcServiceStatus() : s.getStatus();
  }

  static HtcJobStatus jobStatus(String service, String job) {
    return status(service).getJobs().stream().filter(j -> job.equals(j.getName())).findFirst()
        .orElseGet(HtcJobStatus::new);
  }

  /** Changes the spec, again on a 409 (status patches move the object on every second while work is in flight). */
  static void edit(String name, java.util.function.Consumer<HtcServiceSpec> change) {
    world.edit(HtcService.class, name, s -> {
      change.accept(s.getSpec());
      return s;
    });
  }

  static List<Agent> workers(String service) {
    return world.agents(service);
  }

  static HtcThroughputFunction awaitFunction(String name) {
    return await().atMost(STEP).pollInterval(Duration.ofMillis(300))
        .until(() -> status(name).getThroughputFunction(), f -> f != null && !f.getPoints().isEmpty());
  }

  @Test
  void aSampledJobRunsOnPoolsSizedToTheTargetWithBagsAddedWhileRunning() {
    HtcService s = htc("real", null, null, job("j", bag("real-j-1", tasks(1, 36))));
    s.getSpec().setSample("j");
    client.resource(s).create();
    HtcThroughputFunction f = awaitFunction("real");
    f.getSamples().forEach(x -> System.out.printf("htc sampled %s: %.3f s per task (%d tasks)%n", x.getInstanceType(),
        x.getMeanSeconds(), x.getTasks()));
    f.getPoints().forEach(p -> System.out.printf("htc f: cost %.2f/h -> %.0f tasks/h %s%n", p.getCost(),
        p.getThroughput(), p.getWorkers().stream().map(w -> w.getCount() + "x" + w.getInstanceType()).toList()));
    assertThat(f.getSamples()).hasSize(2);
    assertThat(f.getTmax()).isEqualTo(f.getPoints().get(f.getPoints().size() - 1).getThroughput());
    // Target: the throughput of the first configuration of 4 workers (or the nearest), both types in it here, so
    // the pools reach it exactly (a target between two points gets the dearer one: more than asked).
    HtcThroughputPoint point = f.getPoints().stream()
        .min(java.util.Comparator.comparingInt(p -> Math.abs(p.getWorkers().stream().mapToInt(WorkerCount::getCount)
            .sum() - 4))).orElseThrow();
    double target = point.getThroughput();
    edit("real", spec -> spec.setTargetThroughput(target));
    Map<String, Integer> wanted = point.getWorkers().stream()
        .collect(Collectors.toMap(WorkerCount::getInstanceType, WorkerCount::getCount));
    // Pools created to match: exactly the configuration's workers per type, all running.
    await().atMost(STEP).pollInterval(Duration.ofMillis(300)).until(() -> {
      List<Agent> up = workers("real").stream().filter(a -> a.getMetadata().getDeletionTimestamp() == null).toList();
      Map<String, Integer> running = up.stream().filter(a -> a.getStatus() != null
          && a.getStatus().getPhase() == AgentPhase.Running)
          .collect(Collectors.toMap(a -> a.getSpec().getInstanceType(), a -> 1, Integer::sum));
      return running.equals(wanted) && up.size() == running.values().stream().mapToInt(Integer::intValue).sum();
    });
    assertThat(status("real").getConfiguration()).extracting(WorkerCount::getInstanceType, WorkerCount::getCount)
        .containsExactlyInAnyOrderElementsOf(point.getWorkers().stream()
            .map(w -> org.assertj.core.groups.Tuple.tuple(w.getInstanceType(), w.getCount())).toList());
    edit("real", spec -> spec.getJobs().get(0).setSubmitted(true));
    // A bag added while the job runs is executed too.
    await().atMost(STEP).pollInterval(Duration.ofMillis(200))
        .until(() -> jobStatus("real", "j").getProgress() != null && jobStatus("real", "j").getProgress().getDone() >= 10);
    ConfigMapKeyRef second = bag("real-j-2", tasks(37, 60));
    edit("real", spec -> spec.getJobs().get(0).getBags().add(second));
    await().atMost(STEP).pollInterval(Duration.ofMillis(300)).until(() -> "Done".equals(jobStatus("real", "j").getState()));
    HtcJobStatus done = jobStatus("real", "j");
    System.out.printf("htc throughput: target %.0f tasks/h (%s), measured %.0f tasks/h over %d tasks (%.0f%%)%n",
        target, wanted, done.getMeasuredThroughput(), done.getProgress().getDone() - 6,
        100 * done.getMeasuredThroughput() / target);
    assertThat(done.getProgress().getDone()).isEqualTo(60);
    assertThat(done.getProgress().getFailed()).isZero();
    HtcLedger l = HtcLedger.fromJson(client.configMaps().inNamespace(ns).withName("real-htc").get().getData()
        .get("ledger.json"));
    for (TaskLedger.Task t : l.tasks) {
      assertThat(t.tail).as("output of task " + t.line).isEqualTo("out-" + t.line + "\n");
    }
    assertThat(done.getMeasuredThroughput()).isBetween(0.75 * target, 1.25 * target);
  }

  @Test
  void demoWorkflowCreatesNoAgentAndACycleIsRefused() {
    AtomicInteger agentsSeen = new AtomicInteger();
    io.fabric8.kubernetes.client.Watch watch = client.resources(Agent.class).inNamespace(ns)
        .withLabel(ApiConstants.LABEL_SERVICE, "flow").watch(new io.fabric8.kubernetes.client.Watcher<Agent>() {
          @Override
          public void eventReceived(Action action, Agent resource) {
            agentsSeen.incrementAndGet();
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
        });
    String render = IntStream.rangeClosed(1, 6).mapToObj(i -> "r" + i + ": echo " + i).collect(Collectors.joining("\n"))
        + "\njoin after r1,r2,r3,r4,r5,r6: echo joined\n";
    HtcService s = htc("flow", HtcServiceSpec.MODE_DEMO, HtcServiceSpec.TYPE_WORKFLOW,
        job("render", bag("flow-render-1", render)),
        job("loop", bag("flow-loop-1", "a after c: true\nb after a: true\nc after b: true\n")));
    s.getSpec().setSample("render");
    client.resource(s).create();
    await().atMost(STEP).pollInterval(Duration.ofMillis(300)).until(() -> "Refused".equals(jobStatus("flow", "loop").getState()));
    System.out.println("htc refused: " + jobStatus("flow", "loop").getMessage());
    assertThat(jobStatus("flow", "loop").getMessage())
        .isEqualTo("bag 1 of job loop refused: workflow cycle: a -> c -> b -> a");
    assertThat(jobStatus("flow", "loop").getProgress().getTotal()).isZero();
    HtcThroughputFunction f = awaitFunction("flow");
    edit("flow", spec -> {
      spec.setTargetThroughput(f.getTmax() / 2);
      spec.getJobs().get(0).setSubmitted(true);
    });
    await().atMost(STEP).pollInterval(Duration.ofMillis(300)).until(() -> "Done".equals(jobStatus("flow", "render").getState()));
    HtcJobStatus done = jobStatus("flow", "render");
    System.out.printf("htc demo: %d done, money %.2f, configuration %s%n", done.getProgress().getDone(),
        status("flow").getMoneySpent(), status("flow").getConfiguration().stream()
            .map(w -> w.getCount() + "x" + w.getInstanceType()).toList());
    assertThat(done.getProgress().getDone()).isEqualTo(7);
    assertThat(status("flow").getMoneySpent()).isZero();
    watch.close();
    assertThat(agentsSeen.get()).as("Agent events of the demo service").isZero();
  }
}
