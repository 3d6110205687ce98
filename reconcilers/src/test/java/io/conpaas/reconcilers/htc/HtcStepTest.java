package io.conpaas.reconcilers.htc;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.TaskFarmKeys.Result;
import io.conpaas.reconcilers.htc.HtcStep.Inputs;
import io.conpaas.reconcilers.htc.HtcStep.JobInput;
import io.conpaas.reconcilers.taskfarm.LedgerStep.TypeInfo;
import io.conpaas.reconcilers.taskfarm.LedgerStep.Worker;
import io.conpaas.reconcilers.taskfarm.TaskLedger.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HtcStepTest {
  private static final List<TypeInfo> TYPES = List.of(new TypeInfo("slow", 1, 2), new TypeInfo("fast", 3, 1));
  private static final String PREFIX = "h-workers-";

  private static String bag(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "echo " + i).collect(Collectors.joining("\n"));
  }

  private static Inputs in(String type, List<JobInput> jobs, String sample, Double target, List<Worker> workers,
      long now) {
    return new Inputs(false, type, 2, 2, 2, TYPES, jobs, sample, Map.of(), target, PREFIX, workers, now);
  }

  private static Worker worker(int slot, String type, List<Result> results) {
    return new Worker(PREFIX + slot, type, "vm-" + slot, true, false, false, 0L, results);
  }

  /** Results, back to back from t = 1 s, for every task assigned to the worker: each takes seconds. */
  private static List<Result> finish(HtcLedger l, int slot, double seconds) {
    List<Result> out = new ArrayList<>();
    long t = 1000;
    for (Task task : l.tasks) {
      if ("A".equals(task.state) && (PREFIX + slot).equals(task.agent)) {
        out.add(new Result(task.line, task.attempt, 0, t, t + (long) (seconds * 1000), "out-" + task.line));
        t += (long) (seconds * 1000);
      }
    }
    return out;
  }

  @Test
  void aJobIsSampledATargetSelectedAndTheJobRunsOnTheMatchingPools() {
    JobInput job = new JobInput("j", false, List.of(bag(20)), null);
    HtcLedger l = HtcStep.advance(new HtcLedger(), in("batch", List.of(job), "j", null, List.of(), 0));
    assertThat(l.tasks).hasSize(20);
    assertThat(l.sampling).isTrue();
    // Two samples per type, spread over the job; one worker per sampled type.
    assertThat(l.tasks.stream().filter(t -> "slow".equals(t.sampleType))).extracting(t -> t.line).containsExactly(1, 3);
    assertThat(l.slots).containsExactly("slow", "fast");
    JobInput read = new JobInput("j", false, List.of(), null);
    List<Worker> up = List.of(worker(0, "slow", List.of()), worker(1, "fast", List.of()));
    l = HtcStep.advance(l, in("batch", List.of(read), "j", null, up, 10));
    assertThat(l.tasks.stream().filter(t -> "A".equals(t.state))).hasSize(4);
    // The fast worker is done first: it stays while the slow one samples.
    l = HtcStep.advance(l, in("batch", List.of(read), "j", null, List.of(worker(0, "slow", List.of()),
        worker(1, "fast", finish(l, 1, 1))), 15));
    assertThat(l.slots).containsExactly("slow", "fast");
    List<Worker> reported = List.of(worker(0, "slow", finish(l, 0, 2)), worker(1, "fast", List.of()));
    l = HtcStep.advance(l, in("batch", List.of(read), "j", null, reported, 20));
    assertThat(l.sampling).isFalse();
    assertThat(l.secondsPerTask).containsEntry("slow", 2.0).containsEntry("fast", 1.0);
    // Not submitted: the rest waits; the sampling workers stay until a configuration is selected.
    assertThat(l.tasks.stream().filter(t -> "A".equals(t.state))).isEmpty();
    assertThat(l.slots).containsExactly("slow", "fast");
    // Target 5000 tasks/hour: 1 slow (1800) + 1 fast (3600) at 4 per hour is the cheapest reaching it.
    JobInput submitted = new JobInput("j", true, List.of(), null);
    l = HtcStep.advance(l, in("batch", List.of(submitted), "j", 5000.0, List.of(), 30));
    assertThat(l.configuration).containsEntry("slow", 1).containsEntry("fast", 1);
    assertThat(l.slots).containsExactly("slow", "fast");
    l = HtcStep.advance(l, in("batch", List.of(submitted), "j", 5000.0, up, 40));
    // Each holds at least 2 tasks, the fast one about twice the slow one's share of the lookahead.
    long slow = l.tasks.stream().filter(t -> "A".equals(t.state) && (PREFIX + 0).equals(t.agent)).count();
    long fast = l.tasks.stream().filter(t -> "A".equals(t.state) && (PREFIX + 1).equals(t.agent)).count();
    assertThat(slow).isBetween(2L, 7L);
    assertThat(fast).isGreaterThan(slow);
    assertThat(l.problem).isNull();
  }

  @Test
  void aTargetAboveTmaxIsAProblem() {
    HtcLedger l = new HtcLedger();
    l.secondsPerTask.put("slow", 2.0);
    l.secondsPerTask.put("fast", 1.0);
    l = HtcStep.advance(l, in("batch", List.of(), null, 20000.0, List.of(), 0));
    assertThat(l.problem).isEqualTo("targetThroughput 20000.0 tasks/hour is above TMAX 10800.0");
    assertThat(l.configuration).isEmpty();
  }

  @Test
  void onlineBagsRunWithoutSubmitAndBatchBagsWaitForIt() {
    List<Worker> pool = List.of(worker(0, "fast", List.of()));
    Inputs online = new Inputs(false, "online", 2, 2, 2, TYPES, List.of(new JobInput("j", false, List.of(bag(3)), null)),
        null, Map.of("fast", 1), null, PREFIX, pool, 0);
    HtcLedger l = HtcStep.advance(new HtcLedger(), online);
    assertThat(l.slots).containsExactly("fast");
    assertThat(l.tasks).allMatch(t -> "A".equals(t.state));
    Inputs batch = new Inputs(false, "batch", 2, 2, 2, TYPES, List.of(new JobInput("j", false, List.of(bag(3)), null)),
        null, Map.of("fast", 1), null, PREFIX, pool, 0);
    assertThat(HtcStep.advance(new HtcLedger(), batch).tasks).allMatch(t -> "P".equals(t.state));
    Inputs noPools = new Inputs(false, "online", 2, 2, 2, TYPES, List.of(new JobInput("j", false, List.of(bag(3)), null)),
        null, Map.of(), null, PREFIX, List.of(), 0);
    assertThat(HtcStep.advance(new HtcLedger(), noPools).waiting).startsWith("tasks wait for workers");
  }

  @Test
  void aWorkflowBagWithACycleIsRefusedAndTasksWaitForTheirDependencies() {
    List<Worker> pool = List.of(worker(0, "fast", List.of()), worker(1, "fast", List.of()));
    JobInput cyclic = new JobInput("w", true, List.of("a after b: true\nb after a: true"), null);
    Inputs first = new Inputs(false, "workflow", 2, 2, 2, TYPES, List.of(cyclic), null, Map.of("fast", 2), null,
        PREFIX, pool, 0);
    HtcLedger l = HtcStep.advance(new HtcLedger(), first);
    assertThat(l.tasks).isEmpty();
    assertThat(l.jobs.get("w").refused).isEqualTo("bag 1 of job w refused: workflow cycle: a -> b -> a");
    JobInput good = new JobInput("w", true, List.of("a: echo a\nb: echo b\nc after a,b: echo c"), null);
    l = HtcStep.advance(l, new Inputs(false, "workflow", 2, 2, 2, TYPES, List.of(good), null, Map.of("fast", 2), null,
        PREFIX, pool, 10));
    assertThat(l.jobs.get("w").refused).isNull();
    assertThat(l.jobs.get("w").bags).isEqualTo(2);
    assertThat(l.tasks).extracting(t -> t.state).containsExactly("A", "A", "P");
    // a fails for good (2 attempts): c can never run and fails naming it.
    for (int attempt = 1; attempt <= 2; attempt++) {
      List<Worker> reported = new ArrayList<>();
      for (int slot = 0; slot < 2; slot++) {
        List<Result> results = new ArrayList<>();
        for (Task t : l.tasks) {
          if ("A".equals(t.state) && (PREFIX + slot).equals(t.agent)) {
            results.add(new Result(t.line, t.attempt, "a".equals(t.name) ? 1 : 0, 0, 1, "x"));
          }
        }
        reported.add(worker(slot, "fast", results));
      }
      l = HtcStep.advance(l, new Inputs(false, "workflow", 2, 2, 2, TYPES, List.of(new JobInput("w", true, List.of(),
          null)), null, Map.of("fast", 2), null, PREFIX, reported, 20 + attempt));
    }
    assertThat(l.tasks).extracting(t -> t.state).containsExactly("F", "D", "F");
    assertThat(l.tasks.get(2).tail).isEqualTo("not run: task a it waits for failed");
  }

  @Test
  void demoModeSamplesAndRunsWithoutWorkers() {
    JobInput job = new JobInput("j", true, List.of(bag(12)), null);
    Inputs first = new Inputs(true, "batch", 2, 2, 2, TYPES, List.of(job), "j", Map.of(), null, PREFIX, List.of(), 0);
    HtcLedger l = HtcStep.advance(new HtcLedger(), first);
    assertThat(l.slots).isEmpty();
    assertThat(l.sampling).isFalse();
    assertThat(l.secondsPerTask).containsOnlyKeys("slow", "fast");
    JobInput read = new JobInput("j", true, List.of(), null);
    l = HtcStep.advance(l, new Inputs(true, "batch", 2, 2, 2, TYPES, List.of(read), "j", Map.of(), 100.0, PREFIX,
        List.of(), 1000));
    assertThat(l.slots).isEmpty();
    assertThat(l.tasks.stream().filter(t -> "A".equals(t.state))).isNotEmpty();
    l = HtcStep.advance(l, new Inputs(true, "batch", 2, 2, 2, TYPES, List.of(read), "j", Map.of(), 100.0, PREFIX,
        List.of(), 1_000_000));
    assertThat(l.tasks).allMatch(t -> "D".equals(t.state));
  }
}
