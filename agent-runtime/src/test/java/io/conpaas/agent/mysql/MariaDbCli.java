package io.conpaas.agent.mysql;

import io.conpaas.agent.process.Binaries;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The mariadb client as a test's SQL connection: over TCP with a mode-600 option file, or as root over a socket. */
final class MariaDbCli {
  record Result(int exitCode, String output) {}

  private final List<String> base;

  private MariaDbCli(List<String> base) {
    this.base = base;
  }

  /** user@127.0.0.1:port with password, through an option file written in dir (never on the command line). */
  static MariaDbCli tcp(Path dir, String name, int port, String user, String password) {
    Path options = ClientOptions.write(dir.resolve(name + ".cnf"), user, password, "127.0.0.1", port);
    return new MariaDbCli(List.of(Binaries.find("mariadb").toString(), "--defaults-file=" + options,
        "--batch", "--skip-column-names", "--connect-timeout=10"));
  }

  /** root over a server's Unix socket (the tests run as root). */
  static MariaDbCli socket(Path socket) {
    return new MariaDbCli(List.of(Binaries.find("mariadb").toString(), "--no-defaults", "--socket=" + socket,
        "--user=root", "--batch", "--skip-column-names"));
  }

  Result run(String sql) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(base)).redirectErrorStream(true).start();
      try (OutputStream in = p.getOutputStream()) {
        in.write(sql.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("mariadb client hung");
      }
      return new Result(p.exitValue(), out.strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Output of sql, failing the test with the client's message when it fails. */
  String query(String sql) {
    Result r = run(sql);
    if (r.exitCode() != 0) {
      throw new AssertionError("SQL failed: " + r.output());
    }
    return r.output();
  }
}
