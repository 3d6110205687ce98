package io.conpaas.agent.code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Applies {@link WorkerReadable} modes to whole trees (built-in versions, the code directories). */
final class WorkerReadableTree {
  private WorkerReadableTree() {}

  /** Makes each of dirs searchable and readable by the worker user. */
  static void directories(Path... dirs) throws IOException {
    for (Path d : dirs) {
      WorkerReadable.directory(d);
    }
  }

  /** Makes every directory and file below root readable by the worker user. */
  static void all(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          WorkerReadable.directory(p);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          WorkerReadable.file(p);
        }
      }
    }
  }
}
