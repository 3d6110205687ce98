package io.conpaas.operator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** Runs SQL with the real `mariadb` client over TCP as a user, the password in a 600 defaults file (never argv). */
public final class Sql {
  /** Exit code and output of one client run. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private Sql() {}

  public static Result run(String hostPort, String user, String password, String sql) {
    int colon = hostPort.lastIndexOf(':');
    Path defaults = null;
    try {
      defaults = Files.createTempFile("sql", ".cnf", PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      Files.writeString(defaults, "[client]\nuser=" + user + "\npassword=\"" + password + "\"\n");
      Process p = new ProcessBuilder(List.of("mariadb", "--defaults-extra-file=" + defaults, "--protocol=TCP",
          "-h", hostPort.substring(0, colon), "-P", hostPort.substring(colon + 1), "--batch", "--skip-column-names",
          "--connect-timeout=5", "-e", sql)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(p.waitFor(), out.strip());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (defaults != null) {
        defaults.toFile().delete();
      }
    }
  }

  /** Like run, failing the test with the client's output unless it succeeded. */
  public static String ok(String hostPort, String user, String password, String sql) {
    Result r = run(hostPort, user, password, sql);
    if (!r.ok()) {
      throw new AssertionError("SQL failed on " + hostPort + ": " + r.output());
    }
    return r.output();
  }
}
