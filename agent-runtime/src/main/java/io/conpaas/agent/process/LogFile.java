package io.conpaas.agent.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;

/**
 * Reads a server's log to tell when it is ready (a line counted) and why it failed (the tail).
 * Logs may lie in directories the server's account writes, so a symbolic link there reads as no
 * log: the agent (root) must not copy a file it points at into an error message.
 */
public final class LogFile {
  private static final long TAIL_BYTES = 64 * 1024;

  private LogFile() {}

  /** How often needle (within one line) occurs in the log so far (0 when there is no log yet). */
  public static int count(Path log, String needle) {
    if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try (BufferedReader in = new BufferedReader(Channels.newReader(Files.newByteChannel(log,
        Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)), StandardCharsets.UTF_8))) {
      int n = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        for (int i = line.indexOf(needle); i >= 0; i = line.indexOf(needle, i + 1)) {
          n++;
        }
      }
      return n;
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  /** The last ten lines, for an error message. */
  public static String tail(Path log) {
    return tail(log, 10).orElse("(no log)");
  }

  /** The last n lines, empty when there is no log (or only a link in its place). */
  public static java.util.Optional<String> tail(Path log, int n) {
    return SafeFiles.readTail(log, TAIL_BYTES).map(text -> {
      List<String> lines = text.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    });
  }
}
