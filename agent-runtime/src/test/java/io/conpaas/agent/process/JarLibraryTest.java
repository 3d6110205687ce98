package io.conpaas.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.process.WorkerUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A role's jars reach the worker user: used in place when it can read them, else copied beside the component. */
class JarLibraryTest {
  @TempDir
  Path dir;

  @Test
  void jarsBehindAClosedDirectoryAreCopiedWhereTheWorkerReadsThem() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path open = Files.createDirectories(dir.resolve("open/lib"));
    Path closed = Files.createDirectories(dir.resolve("closed/lib"));
    Files.setPosixFilePermissions(dir.resolve("closed"), PosixFilePermissions.fromString("rwx------"));
    Files.writeString(open.resolve("selenium-grid-1.jar"), "jar");
    Files.writeString(closed.resolve("selenium-grid-1.jar"), "jar");
    WorkerUser worker = WorkerUser.detect();
    Path component = Files.createDirectories(dir.resolve("component"));

    assertThat(JarLibrary.reachable(open, worker, component.resolve("lib"))).isEqualTo(open);
    Path used = JarLibrary.reachable(closed, worker, component.resolve("lib"));
    if (worker.name().isPresent()) {
      // Root's agent: the worker account cannot pass closed/ (mode 700), so it gets a copy.
      assertThat(used).isEqualTo(component.resolve("lib"));
      assertThat(Files.readString(used.resolve("selenium-grid-1.jar"))).isEqualTo("jar");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(used.resolve("selenium-grid-1.jar"))))
          .isEqualTo("rw-r--r--");
    } else {
      // A non-root agent runs the Grid as itself: it reads its own directories.
      assertThat(used).isEqualTo(closed);
    }
  }
}
