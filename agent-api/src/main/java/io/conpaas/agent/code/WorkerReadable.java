package io.conpaas.agent.code;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Modes of expanded code: readable by the worker user, writable by nobody else, never executable or setuid. */
final class WorkerReadable {
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwxr-xr-x");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-r--r--");

  private WorkerReadable() {}

  static void directory(Path p) throws IOException {
    Files.setPosixFilePermissions(p, DIR);
  }

  static void file(Path p) throws IOException {
    Files.setPosixFilePermissions(p, FILE);
  }
}
