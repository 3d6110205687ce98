package io.conpaas.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervision shared by native and JVM daemons, on a real child process (sleep). */
class SupervisedProcessTest {
  private static final SupervisedNative.Launch SLEEP =
      new SupervisedNative.Launch(Map.of(), List.of(Binaries.find("sleep").toString(), "300"));

  @TempDir
  Path dir;

  private SupervisedNative daemon() {
    // As the agent's own account: the test's temp directory is closed to other users. A directory below
    // it: the agent refuses to create one directly in a shared-writable directory such as /tmp.
    return new SupervisedNative("sleeper", "test sleeper", dir.resolve("d"), WorkerUser.serverAccount(
        System.getProperty("user.name"), "the test"), "sleep");
  }

  @Test
  void aDaemonThatDiesIsStartedAgainAndOnceStoppedItStaysStopped() throws Exception {
    SupervisedNative d = daemon();
    try {
      assertThat(d.start(SLEEP)).isTrue();
      assertThat(d.start(SLEEP)).as("the same launch runs already").isFalse();
      long first = kill(d);
      await().atMost(Duration.ofSeconds(10)).until(() -> d.alive() && d.pid().getAsLong() != first);

      d.stop();
      assertThat(d.alive()).isFalse();
      Thread.sleep(2_500); // longer than the supervisor's first pause
      assertThat(d.alive()).as("a stopped daemon is not started again").isFalse();
    } finally {
      d.stop();
    }
  }

  @Test
  void aDaemonLaunchedAgainAfterStopIsSupervisedAgain() {
    SupervisedNative d = daemon();
    try {
      d.start(SLEEP);
      d.stop();
      // SupervisedJvm used to keep the ended supervisor thread here: nothing restarted the new process.
      d.start(SLEEP);
      long pid = kill(d);
      await().atMost(Duration.ofSeconds(10)).until(() -> d.alive() && d.pid().getAsLong() != pid);
    } finally {
      d.stop();
    }
  }

  @Test
  void anExpectedExitIsNotRestarted() throws Exception {
    SupervisedNative d = daemon();
    try {
      d.start(SLEEP);
      d.expectExit();
      kill(d);
      Thread.sleep(2_500);
      assertThat(d.alive()).isFalse();
      assertThat(d.log()).exists();
    } finally {
      d.stop();
    }
  }

  private static long kill(SupervisedNative d) {
    OptionalLong pid = d.pid();
    assertThat(pid).isPresent();
    ProcessHandle h = ProcessHandle.of(pid.getAsLong()).orElseThrow();
    h.destroyForcibly();
    await().atMost(Duration.ofSeconds(5)).until(() -> !h.isAlive() && !d.alive());
    return pid.getAsLong();
  }
}
