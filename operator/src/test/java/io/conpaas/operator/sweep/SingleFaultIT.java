package io.conpaas.operator.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.SimulatedCloudSpec;
import io.conpaas.testing.DevCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single faults around the operator jar on a simulated Cloud (issue 16, deliverable 4): the API
 * server restarting in the middle of a scale-up, a cloud whose describe misses fresh VMs for seconds
 * while every API is throttled hard, and agents that answer slowly (beyond the operator's call bounds,
 * then within them), and an operator whose Agent caches are served an old state for its first 20 s (stale
 * list and a silent watch: Sieve's stale-state class). Each must converge with one VM per Agent, no orphan
 * and no VM replaced needlessly.
 */
class SingleFaultIT {
  private static final Duration CONVERGE = Duration.ofSeconds(150);

  @TempDir
  Path workDir;

  @org.junit.jupiter.api.AfterEach
  void killLeftOperators() {
    OperatorProcess.closeAll();
  }

  @Test
  void anApiServerRestartInTheMiddleOfAScaleUpConverges() throws Exception {
    SweepWorld w = new SweepWorld("apirestart", workDir, sim -> {});
    try (OperatorProcess op = w.operator(log("apirestart"), Map.of())) {
      w.apply(3, "m1");
      awaitConverged(w, op, 3, "m1");
      Set<String> before = w.instanceIds();
      w.apply(5, "m1");
      // Mid-scale: the new Agents exist, their VMs are not all running yet.
      await().atMost(CONVERGE).pollInterval(Duration.ofMillis(50)).until(() -> w.agents().size() == 5);
      Path out = log("apirestart-dev-cluster");
      Process restart = DevCluster.script("restart").redirectErrorStream(true).redirectOutput(out.toFile()).start();
      assertThat(restart.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).as("restart within 3 min").isTrue();
      assertThat(restart.exitValue()).as(Files.readString(out)).isZero();
      awaitConverged(w, op, 5, "m1");
      assertThat(w.instanceIds()).as("no Agent lost or replaced").containsAll(before);
      w.cleanUp();
    }
  }

  @Test
  void anOperatorWhoseProbePortIsTakenExitsAndSaysWhy() throws Exception {
    SweepWorld w = new SweepWorld("probeport", workDir, sim -> {});
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      int port = taken.getLocalPort();
      // Its informers run before the probes bind: without an exit the process stayed up, never ready.
      try (OperatorProcess op = w.operator(log("probeport"), Map.of("CONPAAS_HEALTH_PORT", Integer.toString(port)))) {
        assertThat(op.awaitExit(Duration.ofSeconds(60))).as(op.tail(20)).isEqualTo(1);
        assertThat(op.tail(20)).contains("cannot start: the probe port " + port + " cannot be bound");
      }
    }
    w.cleanUp();
  }

  @Test
  void describeMissingFreshVmsUnderAThrottlingStormConverges() throws Exception {
    SweepWorld w = new SweepWorld("storm", workDir, sim -> {
      // A fresh VM stays out of describe answers for 6 s, long after its agent answers (boot 0.5 s).
      sim.setDescribeLagSeconds(6.0);
      sim.setApiRates(new java.util.TreeMap<>(Map.of(
          "RunInstances", rate(1, 0.5), "DescribeInstances", rate(2, 1), "TerminateInstances", rate(1, 0.5))));
    });
    try (OperatorProcess op = w.operator(log("storm"), Map.of())) {
      w.apply(5, "m1");
      awaitConverged(w, op, 5, "m1");
      Set<String> five = w.instanceIds();
      w.apply(2, "m2");
      awaitConverged(w, op, 2, "m2");
      assertThat(five).as("no VM made while scaling down").containsAll(w.instanceIds());
      String log = Files.readString(log("storm"));
      assertThat(log).as("the storm throttled calls").contains("RequestLimitExceeded");
      w.cleanUp();
    }
  }

  @Test
  void slowAgentsHoldNoReconcileAndTheServiceRecoversWithoutReplacingThem() throws Exception {
    SweepWorld w = new SweepWorld("slow", workDir, sim -> {});
    try (OperatorProcess op = w.operator(log("slow"), Map.of())) {
      w.apply(2, "m1");
      awaitConverged(w, op, 2, "m1");
      Set<String> before = w.instanceIds();
      // Every agent now waits 8 s before answering: longer than the operator's 3 s bound on health calls.
      setAnswerDelay(w, 8.0);
      long slowSince = System.nanoTime();
      w.apply(3, "m1");
      // The service's pass is not held by the slow agents: the third Agent appears at once.
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
          .until(() -> w.agents().size() == 3);
      await().pollDelay(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(20)).until(() -> true);
      assertThat(op.ready()).as("operator ready while its agents are slow").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - slowSince)).as("slow phase shorter than the health timeout")
          .isLessThan(Duration.ofSeconds(50));
      // Slow but within bounds (1 s): everything converges, and the slow VMs were not replaced.
      setAnswerDelay(w, 1.0);
      awaitConverged(w, op, 3, "m1");
      assertThat(w.instanceIds()).as("slow agents kept").containsAll(before);
      w.cleanUp();
    }
  }

  @Test
  void anOperatorStartingOnAStaleViewOfItsAgentsNeitherDoublesNorLosesAVm() throws Exception {
    SweepWorld w = new SweepWorld("stale", workDir, sim -> {});
    String twoAgents;
    Set<String> four;
    try (OperatorProcess op = w.operator(log("stale-before"), Map.of())) {
      w.apply(2, "m1");
      awaitConverged(w, op, 2, "m1");
      twoAgents = w.client.resources(io.conpaas.api.v1alpha1.Agent.class).inNamespace(w.ns).list()
          .getMetadata().getResourceVersion();
      w.apply(4, "m1");
      awaitConverged(w, op, 4, "m1");
      four = w.instanceIds();
    }
    // Scale down and reconfigure while no operator runs; the next one lists and watches its Agents as they
    // were with 2 of them for 20 s (Sieve's stale state): 2 Agents and their VMs are invisible to it, the
    // other 2 look as they were (old statuses), and the service asks for 3 Agents on m2.
    w.apply(3, "m2");
    Path staleLog = log("stale");
    try (OperatorProcess op = w.operator(staleLog, Map.of(io.conpaas.operator.faults.StaleAgentReads.SETTING,
        twoAgents + ":20"))) {
      awaitConverged(w, op, 3, "m2");
      assertThat(Files.readString(staleLog)).as("the operator read stale Agents").contains("stale read of Agents");
      assertThat(four).as("no VM made (the invisible Agents were not doubled) and none replaced")
          .containsAll(w.instanceIds());
      w.cleanUp();
    }
  }

  private static void setAnswerDelay(SweepWorld w, double seconds) {
    // A merge patch without resourceVersion: the operator writes the Cloud's status meanwhile (an edit got 409s).
    w.client.resources(io.conpaas.api.v1alpha1.Cloud.class).withName(w.cloud).patch(
        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
        "{\"spec\":{\"simulated\":{\"answerDelaySeconds\":" + seconds + "}}}");
  }

  private static io.conpaas.api.v1alpha1.SimulatedApiRate rate(double burst, double perSecond) {
    io.conpaas.api.v1alpha1.SimulatedApiRate r = new io.conpaas.api.v1alpha1.SimulatedApiRate();
    r.setBurst(burst);
    r.setPerSecond(perSecond);
    return r;
  }

  private static void awaitConverged(SweepWorld w, OperatorProcess op, int nodes, String message) {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
      assertThat(op.alive()).as("operator alive\n" + op.tail(20)).isTrue();
      w.assertConverged(nodes, message);
    });
  }

  private static Path log(String name) throws java.io.IOException {
    return Files.createDirectories(Path.of("target", "single-faults")).resolve(name + ".log");
  }
}
