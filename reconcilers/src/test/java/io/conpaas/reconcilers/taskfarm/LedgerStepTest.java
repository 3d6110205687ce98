package io.conpaas.reconcilers.taskfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.TaskFarmKeys.Result;
import io.conpaas.reconcilers.taskfarm.LedgerStep.Inputs;
import io.conpaas.reconcilers.taskfarm.LedgerStep.TypeInfo;
import io.conpaas.reconcilers.taskfarm.LedgerStep.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LedgerStepTest {
  private static final List<TypeInfo> TYPES = List.of(new TypeInfo("slow", 1, 2), new TypeInfo("fast", 3, 1));

  private static TaskLedger bag(int n) {
    return TaskLedger.forBag(IntStream.rangeClosed(1, n).mapToObj(i -> "echo " + i).toList());
  }

  private static Inputs in(List<Worker> workers, String schedule, long now) {
    return new Inputs(false, 2, 2, 2, 3600, TYPES, schedule, workers, now);
  }

  private static Worker worker(String name, String type, String vm, List<Result> results) {
    return new Worker(name, type, vm, true, false, false, 0L, results);
  }

  /** Results for every task the ledger assigned to the worker: each took seconds, exit from the function. */
  private static List<Result> finish(TaskLedger l, String agent, double seconds, java.util.function.IntUnaryOperator exit) {
    List<Result> out = new ArrayList<>();
    long t = 1000;
    for (TaskLedger.Task task : l.tasks) {
      if ("A".equals(task.state) && agent.equals(task.agent)) {
        out.add(new Result(task.line, task.attempt, exit.applyAsInt(task.line), t, t + (long) (seconds * 1000), "out-" + task.line));
        t += (long) (seconds * 1000);
      }
    }
    return out;
  }

  @Test
  void samplesEachTypeThenOffersSchedulesAndExecutesTheChosenOne() {
    TaskLedger l = LedgerStep.advance(bag(20), in(List.of(), null, 0));
    assertThat(l.tasks.stream().filter(t -> "slow".equals(t.sampleType))).extracting(t -> t.line).containsExactly(1, 3);
    assertThat(l.tasks.stream().filter(t -> "fast".equals(t.sampleType))).extracting(t -> t.line).containsExactly(2, 4);
    // Workers come up: each gets its type's samples.
    List<Worker> up = List.of(worker("tf-workers-0", "slow", "vm-a", List.of()), worker("tf-workers-1", "fast", "vm-b", List.of()));
    l = LedgerStep.advance(l, in(up, null, 10));
    assertThat(l.count("A")).isEqualTo(4);
    List<Worker> reported = List.of(worker("tf-workers-0", "slow", "vm-a", finish(l, "tf-workers-0", 2, x -> 0)),
        worker("tf-workers-1", "fast", "vm-b", finish(l, "tf-workers-1", 1, x -> 0)));
    l = LedgerStep.advance(l, in(reported, null, 20));
    assertThat(l.phase).isEqualTo(TaskLedger.READY);
    assertThat(l.meanSeconds).containsEntry("slow", 2.0).containsEntry("fast", 1.0);
    assertThat(l.schedules.get(0).name).isEqualTo("cheapest");
    assertThat(l.schedules.get(0).workers).containsEntry("slow", 1);
    assertThat(l.schedules).hasSizeGreaterThanOrEqualTo(3);
    assertThat(l.tasks.stream().filter(t -> "D".equals(t.state)).map(t -> t.tail)).contains("out-1");
    // Choosing a schedule starts the execution with the predictions of that schedule.
    l = LedgerStep.advance(l, in(List.of(), "fastest", 30));
    assertThat(l.phase).isEqualTo(TaskLedger.EXECUTING);
    assertThat(l.predictedMakespan).isEqualTo(l.schedules.get(l.schedules.size() - 1).makespan);
    // A third fast worker (beyond the mix's 2) gets nothing.
    List<Worker> exec = List.of(worker("tf-workers-0", "fast", "vm-c", List.of()),
        worker("tf-workers-1", "fast", "vm-d", List.of()), worker("tf-workers-2", "fast", "vm-e", List.of()));
    l = LedgerStep.advance(l, in(exec, "fastest", 40));
    // Two fast workers up of the fastest mix (2 slow + 2 fast: 3 tasks/s): each takes no more than the
    // predicted rest of the execution, 16 tasks / 3 per s = 5.3 s, plus one task: 6 tasks of 1 s; the rest waits.
    assertThat(l.schedules.get(l.schedules.size() - 1).workers).containsEntry("slow", 2).containsEntry("fast", 2);
    assertThat(l.count("A")).isEqualTo(12);
    assertThat(l.tasks.stream().filter(t -> "tf-workers-2".equals(t.agent))).isEmpty();
  }

  /**
   * The prediction counts what the sample showed besides runtimes, worked out by hand: 10 tasks, 2 sampled per
   * type (slow: lines 1, 3; fast: 2, 4), 6 left. The sampling starts at 0 ms; the slow VM is created at 400 ms,
   * the fast one at 600 ms; both get their samples at 1,000 ms. Slow runs [2000, 4000] and [4500, 6500]: 2 s plus a
   * 0.5 s gap = 2.5 s per task; fast [3000, 4000] and [4500, 5500]: 1.5 s per task. Startup of an added VM = launch
   * lag 0.4 s + mean boot (1.6 + 2.4) / 2 = 2.4 s; a kept sampling worker starts after the mean dispatch latency
   * (1.0 + 2.0) / 2 = 1.5 s. Makespans (6 tasks): 1 slow 1.5 + 6 x 2.5 = 16.5; 2 slow (the second from 2.4 s)
   * 9.9; 1 slow + 1 fast 7.5; 2 slow + 1 fast 6.5; 1 slow + 2 fast 6.0; 2 + 2 5.4; 1 fast 10.5 and 2 fast 6.9 are
   * beaten by cheaper mixes. Costs: one started hour per VM (price 1 slow, 3 fast).
   */
  @Test
  void schedulesPredictWithTheSampledGapBetweenTasksTheLaunchLagAndTheBoot() {
    TaskLedger l = LedgerStep.advance(bag(10), in(List.of(), null, 0));
    assertThat(l.sampleStartMs).isZero();
    List<Worker> up = List.of(new Worker("w-0", "slow", "vm-a", true, false, false, 400L, List.of()),
        new Worker("w-1", "fast", "vm-b", true, false, false, 600L, List.of()));
    l = LedgerStep.advance(l, in(up, null, 1000));
    List<Worker> reported = List.of(
        new Worker("w-0", "slow", "vm-a", true, false, false, 400L, List.of(new Result(1, 1, 0, 2000, 4000, "1"),
            new Result(3, 1, 0, 4500, 6500, "3"))),
        new Worker("w-1", "fast", "vm-b", true, false, false, 600L, List.of(new Result(2, 1, 0, 3000, 4000, "2"),
            new Result(4, 1, 0, 4500, 5500, "4"))));
    l = LedgerStep.advance(l, in(reported, null, 10_000));
    assertThat(l.phase).isEqualTo(TaskLedger.READY);
    assertThat(l.meanSeconds).containsEntry("slow", 2.5).containsEntry("fast", 1.5);
    assertThat(l.gapSeconds).containsEntry("slow", 0.5).containsEntry("fast", 0.5);
    assertThat(l.startupSeconds).isEqualTo(2.4);
    assertThat(l.dispatchSeconds).isEqualTo(1.5);
    assertThat(l.schedules).extracting(s -> s.name, s -> s.workers, s -> s.makespan, s -> s.cost).containsExactly(
        org.assertj.core.groups.Tuple.tuple("cheapest", java.util.Map.of("slow", 1), 16.5, 1.0),
        org.assertj.core.groups.Tuple.tuple("pareto-1", java.util.Map.of("slow", 2), 9.9, 2.0),
        org.assertj.core.groups.Tuple.tuple("pareto-2", java.util.Map.of("slow", 1, "fast", 1), 7.5, 4.0),
        org.assertj.core.groups.Tuple.tuple("pareto-3", java.util.Map.of("slow", 2, "fast", 1), 6.5, 5.0),
        org.assertj.core.groups.Tuple.tuple("pareto-4", java.util.Map.of("slow", 1, "fast", 2), 6.0, 7.0),
        org.assertj.core.groups.Tuple.tuple("fastest", java.util.Map.of("slow", 2, "fast", 2), 5.4, 8.0));
  }

  @Test
  void aFailingTaskIsRetriedUpToItsAttemptsThenReportedWithExitCodeAndTail() {
    TaskLedger l = LedgerStep.advance(bag(8), in(List.of(), null, 0));
    List<Worker> up = List.of(worker("w-0", "slow", "vm-a", List.of()), worker("w-1", "fast", "vm-b", List.of()));
    l = LedgerStep.advance(l, in(up, null, 1));
    // Line 1 fails: attempt 1 -> pending again, reassigned as attempt 2.
    l = LedgerStep.advance(l, in(List.of(worker("w-0", "slow", "vm-a", finish(l, "w-0", 1, x -> x == 1 ? 3 : 0)),
        worker("w-1", "fast", "vm-b", List.of())), null, 2));
    TaskLedger.Task one = l.tasks.get(0);
    assertThat(one.state).isEqualTo("A");
    assertThat(one.attempt).isEqualTo(2);
    assertThat(one.failures).isEqualTo(1);
    l = LedgerStep.advance(l, in(List.of(worker("w-0", "slow", "vm-a", finish(l, "w-0", 1, x -> 3)),
        worker("w-1", "fast", "vm-b", List.of())), null, 3));
    one = l.tasks.get(0);
    assertThat(one.state).isEqualTo("F");
    assertThat(one.exit).isEqualTo(3);
    assertThat(one.tail).isEqualTo("out-1");
    assertThat(one.failures).isEqualTo(2);
  }

  @Test
  void tasksOfALiveButSilentVmStayWhereTheyAreAndThoseOfAGoneVmRunAgainElsewhere() {
    TaskLedger l = LedgerStep.advance(bag(8), in(List.of(), null, 0));
    Worker silent = new Worker("w-0", "slow", "vm-a", false, false, false, 0L, List.of());
    l = LedgerStep.advance(l, in(List.of(worker("w-0", "slow", "vm-a", List.of())), null, 1));
    assertThat(l.tasks.get(0).state).isEqualTo("A");
    // Not running (unreachable) but its VM is not known gone: nothing moves.
    l = LedgerStep.advance(l, in(List.of(silent), null, 2));
    assertThat(l.tasks.get(0).state).isEqualTo("A");
    assertThat(l.rerunAfterVmLoss).isZero();
    // The VM was replaced (new instance id): its tasks are pending again and go to the new VM as a new attempt.
    l = LedgerStep.advance(l, in(List.of(worker("w-0", "slow", "vm-z", List.of())), null, 3));
    assertThat(l.tasks.get(0).state).isEqualTo("A");
    assertThat(l.tasks.get(0).vm).isEqualTo("vm-z");
    assertThat(l.tasks.get(0).attempt).isEqualTo(2);
    assertThat(l.tasks.get(0).failures).isZero();
    assertThat(l.rerunAfterVmLoss).isEqualTo(2);
    // A result of the lost VM's attempt is not recorded for the new one.
    l = LedgerStep.advance(l, in(List.of(worker("w-0", "slow", "vm-z",
        List.of(new Result(1, 1, 0, 0, 10, "stale")))), null, 4));
    assertThat(l.tasks.get(0).state).isEqualTo("A");
  }

  @Test
  void demoModeGoesThroughEveryPhaseWithoutWorkers() {
    Inputs demo0 = new Inputs(true, 2, 2, 2, 3600, TYPES, "cheapest", List.of(), 0);
    TaskLedger l = LedgerStep.advance(bag(30), demo0);
    assertThat(l.phase).isEqualTo(TaskLedger.EXECUTING);
    assertThat(l.meanSeconds.get("slow")).isGreaterThan(l.meanSeconds.get("fast"));
    assertThat(l.vms).isEmpty();
    long end = l.tasks.stream().mapToLong(t -> t.endMs).max().orElseThrow();
    l = LedgerStep.advance(l, new Inputs(true, 2, 2, 2, 3600, TYPES, "cheapest", List.of(), end));
    assertThat(l.phase).isEqualTo(TaskLedger.DONE);
    assertThat(l.count("D")).isEqualTo(30);
    assertThat(l.actualMakespan).isGreaterThan(0.0);
  }

  @Test
  void moneyIsEachVmsStartedBillingUnitsTimesItsPrice() {
    TaskLedger l = new TaskLedger();
    TaskLedger.Vm a = new TaskLedger.Vm();
    a.type = "slow";
    a.createdMs = 0;
    a.lastSeenMs = 61_000;
    l.vms.put("a", a);
    // 61 s in 60 s units: 2 units = 120 s at 36/h.
    assertThat(l.moneySpent(java.util.Map.of("slow", 36.0), 60, false)).isEqualTo(1.2);
  }
}
