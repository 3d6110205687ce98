package io.conpaas.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's no-follow file operations: links are replaced or refused, never written through; worker-writable directories are refused. */
class SafeFilesTest {
  private static final String WORKER = "www-data";

  @TempDir
  Path tmp;
  private Path agentDir;
  private Path victim;

  @BeforeEach
  void setUp() throws IOException {
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    agentDir = Files.createDirectory(tmp.resolve("agent"));
    victim = Files.writeString(tmp.resolve("victim"), "root's file\n");
  }

  @Test
  void aWriteReplacesALinkInsteadOfWritingThroughIt() throws IOException {
    Path target = Files.createSymbolicLink(agentDir.resolve("conf"), victim);
    SafeFiles.write(target, "new\n");
    assertThat(Files.isSymbolicLink(target)).isFalse();
    assertThat(Files.readString(target)).isEqualTo("new\n");
    assertThat(Files.readString(victim)).isEqualTo("root's file\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
  }

  @Test
  void aWriteIntoADirectoryTheWorkerOwnsIsRefused() throws IOException {
    assumeTrue(SafeFiles.agentIsRoot(), "only root has a worker to fear");
    Path workers = Files.createDirectory(tmp.resolve("workers"));
    SafeFiles.giveTo(workers, Optional.of(WORKER));
    assertThatThrownBy(() -> SafeFiles.write(workers.resolve("x"), "data"))
        .isInstanceOf(UnusableSetupException.class).hasMessageContaining("belongs to uid");
    assertThat(workers.resolve("x")).doesNotExist();
  }

  @Test
  void aWriteBelowAWorkerOwnedDirectoryIsRefusedToo() throws IOException {
    assumeTrue(SafeFiles.agentIsRoot(), "only root has a worker to fear");
    Path workers = Files.createDirectory(tmp.resolve("workers"));
    Path inner = Files.createDirectory(workers.resolve("inner"));
    SafeFiles.giveTo(workers, Optional.of(WORKER));
    assertThatThrownBy(() -> SafeFiles.write(inner.resolve("x"), "data")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aWriteIntoAGroupOrWorldWritableDirectoryIsRefused() throws IOException {
    assumeTrue(SafeFiles.agentIsRoot(), "only root has a worker to fear");
    Files.setPosixFilePermissions(agentDir, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> SafeFiles.write(agentDir.resolve("x"), "data"))
        .isInstanceOf(UnusableSetupException.class).hasMessageContaining("writable by group or others");
    Files.setPosixFilePermissions(agentDir, PosixFilePermissions.fromString("rwxrwx---"));
    assertThatThrownBy(() -> SafeFiles.write(agentDir.resolve("x"), "data")).isInstanceOf(IllegalStateException.class);
    // Sticky (as /tmp) is fine above the directory written to, not as that directory.
    Files.setAttribute(agentDir, "unix:mode", 01777);
    assertThatThrownBy(() -> SafeFiles.write(agentDir.resolve("x"), "data")).isInstanceOf(IllegalStateException.class);
    Path below = Files.createDirectory(agentDir.resolve("below"));
    SafeFiles.write(below.resolve("x"), "data");
    assertThat(below.resolve("x")).hasContent("data");
  }

  @Test
  void aLogPathThatIsALinkOrAHardLinkIsReplacedBeforeTheAppend() throws IOException {
    Path log = Files.createSymbolicLink(agentDir.resolve("server.out"), victim);
    Path opened = SafeFiles.appendableLog(log);
    assertThat(Files.exists(opened, LinkOption.NOFOLLOW_LINKS)).isFalse();
    Files.createLink(log, victim);
    SafeFiles.appendableLog(log);
    assertThat(Files.exists(log, LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(Files.readString(victim)).isEqualTo("root's file\n");
    Files.writeString(log, "kept\n");
    SafeFiles.appendableLog(log);
    assertThat(log).hasContent("kept");
  }

  @Test
  void aLogInAWorkerWritableDirectoryIsRefused() throws IOException {
    assumeTrue(SafeFiles.agentIsRoot(), "only root has a worker to fear");
    Path workers = Files.createDirectory(tmp.resolve("logs"));
    SafeFiles.giveTo(workers, Optional.of(WORKER));
    assertThatThrownBy(() -> SafeFiles.appendableLog(workers.resolve("tomcat.out")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void readingALinkReadsNothing() throws IOException {
    Path link = Files.createSymbolicLink(agentDir.resolve("log"), victim);
    assertThat(SafeFiles.readTail(link, 1024)).isEmpty();
    assertThat(LogFile.count(link, "root")).isZero();
    assertThat(LogFile.tail(link)).isEqualTo("(no log)");
    Files.writeString(agentDir.resolve("real"), "a\nb\nroot c\n");
    assertThat(SafeFiles.readTail(agentDir.resolve("real"), 4)).contains("t c\n");
    assertThat(LogFile.count(agentDir.resolve("real"), "root")).isEqualTo(1);
  }

  @Test
  void aWorkerDirectoryGivesOnlyTheDirectoryNotWhatIsBelowIt() throws IOException {
    assumeTrue(SafeFiles.agentIsRoot(), "only root has a worker to fear");
    Path dir = Files.createDirectory(agentDir.resolve("work"));
    Files.createSymbolicLink(dir.resolve("link"), victim);
    SafeFiles.workerDirectory(dir, Optional.of(WORKER), "rwx------");
    assertThat(Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo(WORKER);
    assertThat(Files.getOwner(dir.resolve("link"), LinkOption.NOFOLLOW_LINKS).getName()).isEqualTo("root");
    assertThat(Files.getOwner(victim).getName()).isEqualTo("root");
  }

  @Test
  void anAgentDirectoryTakesBackADirectoryTheWorkerWasGivenAndReplacesALink() throws IOException {
    assumeTrue(SafeFiles.agentIsRoot(), "only root has a worker to fear");
    Path conf = Files.createDirectory(agentDir.resolve("conf"));
    SafeFiles.giveTo(conf, Optional.of(WORKER));
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rwxrwxrwx"));
    SafeFiles.agentDirectory(conf, "rwxr-xr-x");
    assertThat(Files.getOwner(conf).getName()).isEqualTo("root");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rwxr-xr-x");
    SafeFiles.write(conf.resolve("x"), "ok");

    Path outside = Files.createDirectory(tmp.resolve("elsewhere"));
    Path link = Files.createSymbolicLink(agentDir.resolve("logs"), outside);
    SafeFiles.agentDirectory(link, "rwxr-xr-x");
    assertThat(Files.isSymbolicLink(link)).isFalse();
    assertThat(Files.isDirectory(link)).isTrue();
  }
}
