package io.conpaas.agent.mysql;

import io.conpaas.agent.process.Binaries;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs SQL on the role's own server with the mariadb client, as the admin account over the Unix
 * socket (socket authentication: that account has no password). SQL goes in on stdin, so values in
 * it (a replication password) never reach a command line; --sandbox refuses the client's shell and
 * file commands.
 */
final class SqlClient {
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern ERROR_CODE = Pattern.compile("^ERROR( \\d+)?");

  private final Path client = Binaries.find("mariadb", "mysql");
  private final Path socket;
  private final String user;

  SqlClient(Path socket, String user) {
    this.socket = socket;
    this.user = user;
  }

  /** Exit code and the end of the combined output of one client run. */
  record Result(int exitCode, String output) {}

  /** The client's command line (no password: socket authentication), plus extra options. */
  List<String> command(String... extra) {
    List<String> cmd = new ArrayList<>(List.of(client.toString(), "--no-defaults", "--socket=" + socket,
        "--user=" + user, "--batch", "--sandbox", "--connect-timeout=10", "--max-allowed-packet=64M"));
    cmd.addAll(List.of(extra));
    return cmd;
  }

  /** Runs sql, returning what the client said; a client that hangs past timeout is killed (exit -1). */
  Result run(String sql, Duration timeout, String... extra) {
    try {
      Process p = new ProcessBuilder(command(extra)).redirectErrorStream(true).start();
      OutputTail out = OutputTail.of(p.getInputStream(), 1 << 20, "mariadb-client");
      try (OutputStream in = p.getOutputStream()) {
        in.write(sql.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The client exited early (e.g. cannot connect); its output says why.
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return new Result(-1, out.text() + "\n(timed out after " + timeout + ")");
      }
      return new Result(p.exitValue(), out.text());
    } catch (IOException e) {
      return new Result(-1, "cannot run " + client + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running SQL", e);
    }
  }

  /** Runs statements that carry no secret; IllegalStateException with the client's ERROR lines. */
  void execute(String sql) {
    Result r = run(sql, TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("SQL failed: " + errors(r.output()));
    }
  }

  /**
   * Runs statements that carry a password. On failure only the error code is reported: the
   * client echoes the failing statement and server messages may quote part of it.
   */
  void executeSecret(String sql, String what) {
    Result r = run(sql, TIMEOUT);
    if (r.exitCode() != 0) {
      List<String> codes = new ArrayList<>();
      for (String line : r.output().split("\n")) {
        Matcher m = ERROR_CODE.matcher(line);
        if (m.find()) {
          codes.add(m.group().strip());
        }
      }
      throw new IllegalStateException(what + " failed (" + (codes.isEmpty() ? "exit " + r.exitCode()
          : String.join(", ", codes)) + "; message withheld: it could quote a password)");
    }
  }

  /** The rows of the first result set of sql, by column name (SQL NULL as null). */
  List<Map<String, String>> query(String sql) {
    Result r = run(sql, TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IllegalStateException("SQL failed: " + errors(r.output()));
    }
    return parseBatch(r.output());
  }

  /** The first column of the first row, if any. */
  Optional<String> value(String sql) {
    List<Map<String, String>> rows = query(sql);
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0).values().iterator().next());
  }

  /** Whether the server answers on its socket. */
  boolean answers() {
    return run("SELECT 1;", Duration.ofSeconds(10)).exitCode() == 0;
  }

  /** s as an SQL string literal (backslash and quote escaped; the admin session keeps the default sql_mode). */
  static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** Parses --batch output: a tab-separated header, then rows with \\t, \\n, \\\\ and \\0 escaped. */
  static List<Map<String, String>> parseBatch(String output) {
    List<Map<String, String>> rows = new ArrayList<>();
    String[] lines = output.split("\n", -1);
    if (lines.length == 0 || lines[0].isEmpty()) {
      return rows;
    }
    String[] header = lines[0].split("\t", -1);
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isEmpty()) {
        continue;
      }
      String[] cells = lines[i].split("\t", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < header.length; c++) {
        String v = c < cells.length ? cells[c] : "";
        row.put(header[c], "NULL".equals(v) ? null : unescape(v));
      }
      rows.add(row);
    }
    return rows;
  }

  private static String unescape(String v) {
    if (v.indexOf('\\') < 0) {
      return v;
    }
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char ch = v.charAt(i);
      if (ch == '\\' && i + 1 < v.length()) {
        char n = v.charAt(++i);
        b.append(switch (n) {
          case 't' -> '\t';
          case 'n' -> '\n';
          case '0' -> '\0';
          default -> n;
        });
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  /** The ERROR lines of the client's output (not the statement it echoes), or its last line. */
  static String errors(String output) {
    List<String> errors = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("ERROR")) {
        errors.add(line.strip());
      }
    }
    if (!errors.isEmpty()) {
      return String.join("; ", errors);
    }
    String trimmed = output.strip();
    int nl = trimmed.lastIndexOf('\n');
    return nl < 0 ? trimmed : trimmed.substring(nl + 1);
  }
}
