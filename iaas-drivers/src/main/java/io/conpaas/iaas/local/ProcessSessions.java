package io.conpaas.iaas.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Linux session membership of processes, read from {@code /proc/<pid>/stat}.
 *
 * <p>Each local VM's agent starts as the leader of its own session (setsid), and every server it
 * runs stays in that session even after the agent dies and they are reparented to init; a session
 * id is never handed to a new process while a member lives, so the session names a VM's processes
 * reliably where the process tree no longer does.
 */
public final class ProcessSessions {
  private ProcessSessions() {
  }

  /** The live processes whose session id is {@code sessionId}. */
  public static Stream<ProcessHandle> members(long sessionId) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> sessionOf(p.pid()).orElse(-1) == sessionId);
  }

  /** The session id of a process, empty when it is gone or unreadable. */
  static OptionalLong sessionOf(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException | UncheckedIOException e) {
      return OptionalLong.empty();
    }
    return sessionField(stat);
  }

  /**
   * The session field of a stat line: the command name in parentheses may hold spaces and
   * parentheses, so fields are counted after the last ')': state, ppid, pgrp, session.
   */
  static OptionalLong sessionField(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      return OptionalLong.empty();
    }
    String[] fields = stat.substring(end + 1).trim().split("\\s+");
    if (fields.length < 4) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(fields[3]));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
