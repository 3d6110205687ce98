package io.conpaas.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.process.Commands;
import io.conpaas.agent.process.WorkerUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What tenant code running as the worker user (www-data) can try against a root agent: put links
 * to a root-owned file wherever it can write, named as the files root writes, then let the agent
 * restart or activate. The victim must come out unchanged.
 */
final class WorkerAttack {
  static final String VICTIM_TEXT = "root's file, mode 644\n";
  private final Path victim;

  private WorkerAttack(Path victim) {
    this.victim = victim;
  }

  /** A root-owned file (644) in a root-owned directory of its own, outside the test's tree. */
  static WorkerAttack againstNewVictim() {
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "victim-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path file = dir.resolve("root-owned");
      Files.writeString(file, VICTIM_TEXT);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      return new WorkerAttack(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path victim() {
    return victim;
  }

  /** Runs command as the worker user (as the agent runs tenant code). */
  static Commands.Result asWorker(List<String> command) {
    List<String> cmd = new ArrayList<>(WorkerUser.detect().commandPrefix());
    cmd.addAll(command);
    return Commands.tryRun(cmd, Duration.ofSeconds(30));
  }

  /** The directories below root the worker user can write, as it sees them. */
  static List<Path> workerWritableDirectories(Path root) {
    String out = asWorker(List.of("find", root.toString(), "-type", "d", "-writable")).output();
    return out.lines().filter(l -> l.startsWith("/")).map(Path::of).toList();
  }

  /**
   * As the worker: a link to the victim named like each file root writes, in every directory the
   * worker can write below root, and at each of the given paths (where the worker may not be able
   * to write: then nothing happens). Returns how many links it could plant.
   */
  int plantLinks(Path root, List<String> names, List<Path> exactPaths) {
    List<Path> targets = new ArrayList<>(exactPaths);
    for (Path dir : workerWritableDirectories(root)) {
      for (String name : names) {
        targets.add(dir.resolve(name));
      }
    }
    int planted = 0;
    for (Path t : targets) {
      if (asWorker(List.of("ln", "-sfn", victim.toString(), t.toString())).exitCode() == 0) {
        planted++;
      }
    }
    return planted;
  }

  /** The victim is as it was: content, mode and owner. */
  void assertVictimUnchanged() {
    try {
      assertThat(Files.readString(victim)).as("the root-owned file the links point at").isEqualTo(VICTIM_TEXT);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-r--r--");
      assertThat(Files.getOwner(victim).getName()).isEqualTo("root");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Files root made (owner root, not links) in directories the worker can write: each one is a
   * write root did where the worker could have put a link first.
   */
  static List<Path> rootFilesInWorkerWritableDirectories(Path root) {
    List<Path> found = new ArrayList<>();
    for (Path dir : workerWritableDirectories(root)) {
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path e : (Iterable<Path>) entries::iterator) {
          if (!Files.isSymbolicLink(e) && Files.getOwner(e, LinkOption.NOFOLLOW_LINKS).getName().equals("root")) {
            found.add(e);
          }
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return found;
  }

  void cleanUp() {
    try {
      Files.deleteIfExists(victim);
      Files.deleteIfExists(victim.getParent());
    } catch (IOException e) {
      // A leftover in /tmp.
    }
  }
}
