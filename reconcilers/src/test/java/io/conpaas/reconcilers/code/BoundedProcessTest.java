package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.reconcilers.net.Deadline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child command (git) cannot outlive its deadline, nor grow a directory past its cap. */
class BoundedProcessTest {
  @TempDir
  Path dir;

  @Test
  void aCommandAndItsChildrenAreKilledAtTheDeadline() throws Exception {
    Path pidFile = dir.resolve("child.pid");
    long start = System.nanoTime();
    // The shell starts a child that would run for a minute, printing all the while.
    assertThatThrownBy(() -> BoundedProcess.run(dir, Map.of(), List.of(), Deadline.after(Duration.ofSeconds(1)), null,
        List.of("sh", "-c", "(while true; do echo tick; sleep 0.1; done) & echo $! > " + pidFile + "; sleep 60")))
        .isInstanceOf(IOException.class).hasMessageContaining("did not finish within");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    long child = Long.parseLong(Files.readString(pidFile).strip());
    // Killed at the deadline; on a loaded machine init may take a moment to reap it.
    long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < until) {
      Thread.sleep(50);
    }
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void aGrowingDirectoryIsCutAtItsCap() throws Exception {
    Path grown = Files.createDirectory(dir.resolve("clone"));
    assertThatThrownBy(() -> BoundedProcess.run(dir, Map.of(), List.of(), Deadline.after(Duration.ofSeconds(20)),
        new BoundedProcess.SizeCap(() -> BoundedProcess.treeSize(grown), 10_000, "the clone"),
        List.of("sh", "-c", "while true; do head -c 4096 /dev/zero >> " + grown.resolve("f") + "; sleep 0.05; done")))
        .isInstanceOf(IOException.class).hasMessageContaining("the clone exceeds the limit of 10000 bytes");
  }
}
