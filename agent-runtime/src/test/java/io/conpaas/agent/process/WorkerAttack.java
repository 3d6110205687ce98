package io.conpaas.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

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
 * What code running as an unprivileged account (www-data for tenant code, mysql for mariadbd) can
 * try against a root agent: put links to a root-owned file wherever it can write, named as the
 * files root writes, then let the agent restart or activate. The victim must come out unchanged.
 */
public final class WorkerAttack {
  static final String VICTIM_TEXT = "root's file, mode 644\n";
  private final Path victim;
  private final WorkerUser account;

  private WorkerAttack(Path victim, WorkerUser account) {
    this.victim = victim;
    this.account = account;
  }

  /** An attack by the worker user (tenant code) on a new victim. */
  public static WorkerAttack againstNewVictim() {
    return againstNewVictim(WorkerUser.detect());
  }

  /** A root-owned file (644) in a root-owned directory of its own, outside the test's tree, attacked by account. */
  public static WorkerAttack againstNewVictim(WorkerUser account) {
    try {
      Path dir = Files.createTempDirectory(Path.of("/tmp"), "victim-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path file = dir.resolve("root-owned");
      Files.writeString(file, VICTIM_TEXT);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      return new WorkerAttack(file, account);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path victim() {
    return victim;
  }

  /** Runs command as the attacking account (as the agent runs tenant code or the server). */
  public Commands.Result asAccount(List<String> command) {
    List<String> cmd = new ArrayList<>(account.commandPrefix());
    cmd.addAll(command);
    return Commands.tryRun(cmd, Duration.ofSeconds(30));
  }

  /** The directories below root the account can write, as it sees them. */
  public List<Path> writableDirectories(Path root) {
    String out = asAccount(List.of("find", root.toString(), "-type", "d", "-writable")).output();
    return out.lines().filter(l -> l.startsWith("/")).map(Path::of).toList();
  }

  /**
   * As the account: a link to the victim named like each file root writes, in every directory the
   * worker can write below root, and at each of the given paths (where the account may not be able
   * to write: then nothing happens). Returns how many links it could plant.
   */
  public int plantLinks(Path root, List<String> names, List<Path> exactPaths) {
    List<Path> targets = new ArrayList<>(exactPaths);
    for (Path dir : writableDirectories(root)) {
      for (String name : names) {
        targets.add(dir.resolve(name));
      }
    }
    int planted = 0;
    for (Path t : targets) {
      if (asAccount(List.of("ln", "-sfn", victim.toString(), t.toString())).exitCode() == 0) {
        planted++;
      }
    }
    return planted;
  }

  /** The victim is as it was: content, mode and owner. */
  public void assertVictimUnchanged() {
    try {
      assertThat(Files.readString(victim)).as("the root-owned file the links point at").isEqualTo(VICTIM_TEXT);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-r--r--");
      assertThat(Files.getOwner(victim).getName()).isEqualTo("root");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Files root made (owner root, not links) in directories the account can write: each one is a
   * write root did where the account could have put a link first.
   */
  public List<Path> rootFilesInWritableDirectories(Path root) {
    List<Path> found = new ArrayList<>();
    for (Path dir : writableDirectories(root)) {
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

  public void cleanUp() {
    try {
      Files.deleteIfExists(victim);
      Files.deleteIfExists(victim.getParent());
    } catch (IOException e) {
      // A leftover in /tmp.
    }
  }
}
