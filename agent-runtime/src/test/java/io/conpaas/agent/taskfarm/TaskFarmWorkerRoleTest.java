package io.conpaas.agent.taskfarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.RoleContext;
import io.conpaas.agent.api.TaskFarmKeys;
import io.conpaas.agent.api.TaskFarmKeys.Assignment;
import io.conpaas.agent.api.TaskFarmKeys.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workers role with real shell processes. */
class TaskFarmWorkerRoleTest {
  @TempDir
  Path tmp;
  private TaskFarmWorkerRole role;

  private TaskFarmWorkerRole start() throws Exception {
    // The worker account must reach the role's directory (as the local Cloud's VM directories allow).
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    role = new TaskFarmWorkerRole();
    role.init(new RoleContext("w-0", tmp, "127.0.0.1"));
    return role;
  }

  private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(end);
      Thread.sleep(50);
    }
  }

  @AfterEach
  void stop() {
    if (role != null) {
      role.stop();
    }
  }

  private static List<Result> results(TaskFarmWorkerRole role) {
    return TaskFarmKeys.results(role.facts().get(TaskFarmKeys.RESULTS));
  }

  private static Map<String, String> config(List<Assignment> tasks, double slowdown) {
    return Map.of(TaskFarmKeys.TASKS, TaskFarmKeys.toJson(tasks), TaskFarmKeys.SLOWDOWN, Double.toString(slowdown));
  }

  @Test
  void runsEachAssignedTaskOnceAsAnUnprivilegedUserInItsOwnDirectory() throws Exception {
    start();
    role.configure(config(List.of(new Assignment(1, 1, "id -u; pwd; echo hi > f; cat f", 10),
        new Assignment(2, 1, "echo boom >&2; exit 3", 10)), 1));
    waitFor(() -> results(role).size() == 2);
    Result first = results(role).get(0);
    String[] out = first.tail().strip().split("\n");
    assertThat(first.exitCode()).isZero();
    if ("root".equals(System.getProperty("user.name"))) {
      assertThat(out[0]).isNotEqualTo("0");
    }
    assertThat(out[1]).endsWith("/workers/tasks/1-1");
    assertThat(out[2]).isEqualTo("hi");
    Result second = results(role).get(1);
    assertThat(second.exitCode()).isEqualTo(3);
    assertThat(second.tail()).contains("boom");
    // The same assignment again: nothing runs twice.
    role.configure(config(List.of(new Assignment(1, 1, "echo again >> ../../ran", 10)), 1));
    Thread.sleep(300);
    assertThat(results(role)).hasSize(1).first().extracting(Result::exitCode).isEqualTo(0);
    // A new attempt number is a new run; results of tasks no longer assigned are dropped.
    role.configure(config(List.of(new Assignment(2, 2, "echo ok", 10)), 1));
    waitFor(() -> results(role).size() == 1
        && results(role).get(0).attempt() == 2);
    assertThat(results(role).get(0).tail()).isEqualTo("ok\n");
  }

  @Test
  void aTaskOverItsTimeLimitIsKilledWithItsChildren() throws Exception {
    start();
    long t0 = System.currentTimeMillis();
    role.configure(config(List.of(new Assignment(7, 1, "echo started; sleep 30 & sleep 30", 1)), 1));
    waitFor(() -> results(role).size() == 1);
    Result r = results(role).get(0);
    assertThat(r.exitCode()).isEqualTo(-1);
    assertThat(r.tail()).contains("started").contains("killed after 1 s");
    assertThat(System.currentTimeMillis() - t0).isLessThan(8000);
  }

  @Test
  void aSlowInstanceTypeHoldsTheSlotForSlowdownTimesTheRun() throws Exception {
    start();
    role.configure(config(List.of(new Assignment(3, 1, "sleep 0.4", 10)), 2.5));
    waitFor(() -> results(role).size() == 1);
    Result r = results(role).get(0);
    assertThat(r.endedMs() - r.startedMs()).isBetween(1000L, 2500L);
  }
}
