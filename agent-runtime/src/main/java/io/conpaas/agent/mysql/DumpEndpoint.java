package io.conpaas.agent.mysql;

import io.conpaas.agent.api.RequestBodies;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.JsonExchange;
import io.conpaas.agent.api.AgentPaths;
import io.conpaas.agent.api.MysqlRoleKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link AgentPaths#MYSQL_DUMP} on the master (ConPaaS "upload a database dump", manual 2.5.3): the
 * body is streamed into a private file, refused whole when larger than the cap, then applied by the
 * mariadb client as root over the socket, stopping at the first error. Answers 200
 * {"statements": n, "bytes": b}; 422 {"error": "line N: ...", "line": N, "applied": bool}; 413 when
 * too large (nothing applied).
 */
final class DumpEndpoint implements HttpHandler {
  /** The largest dump accepted by default (the manual: uploads are for "relatively small" dumps). */
  static final long DEFAULT_MAX_BYTES = 256L << 20;
  /** How long applying one dump may take before the client is killed. */
  static final Duration APPLY_TIMEOUT = Duration.ofMinutes(30);
  private static final Pattern CLIENT_ERROR =
      Pattern.compile("^ERROR(?: \\d+ \\([0-9A-Za-z]+\\))? at line (\\d+)(?: in file: '[^']*')?: (.*)$");

  private final Path spool;
  private final SqlClient client;
  private final long maxBytes;
  private final Object applying = new Object();

  /** spool is a private directory for the uploaded file; maxBytes caps the body. */
  DumpEndpoint(Path spool, SqlClient client, long maxBytes) {
    this.spool = spool;
    this.client = client;
    this.maxBytes = maxBytes;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    if (!"PUT".equals(ex.getRequestMethod())) {
      JsonExchange.error(ex, 405, "use PUT with the SQL dump as the body");
      return;
    }
    long declared = parseLength(ex.getRequestHeaders().getFirst("Content-Length"));
    Path file = spool.resolve("dump-" + UUID.randomUUID() + ".sql");
    try (InputStream body = ex.getRequestBody()) {
      if (declared > maxBytes || !receive(body, file)) {
        RequestBodies.drain(body, RequestBodies.DRAIN_LIMIT);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("error", "the dump is larger than " + maxBytes + " bytes (load larger dumps with the mariadb"
            + " client as " + MysqlRoleKeys.USER + "); nothing was applied");
        answer.put("maxBytes", maxBytes);
        JsonExchange.respond(ex, 413, answer);
        return;
      }
      Map<String, Object> outcome = apply(file);
      JsonExchange.respond(ex, outcome.containsKey("line") ? 422 : 200, outcome);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Copies body into file; false (and no file) when it exceeds the cap. */
  private boolean receive(InputStream body, Path file) throws IOException {
    long total = 0;
    byte[] buf = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      int n;
      while ((n = body.read(buf)) > 0) {
        total += n;
        if (total > maxBytes) {
          out.close();
          Files.deleteIfExists(file);
          return false;
        }
        out.write(buf, 0, n);
      }
    }
    return true;
  }

  /** Runs the dump through the client (one at a time) and describes the outcome. */
  private Map<String, Object> apply(Path file) throws IOException {
    synchronized (applying) {
      Process p = new ProcessBuilder(client.command("--default-character-set=utf8mb4"))
          .redirectInput(file.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      OutputTail errors = OutputTail.of(p.getErrorStream(), 64 * 1024, "mariadb-dump-apply");
      try {
        if (!p.waitFor(APPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          throw new IllegalStateException("applying the dump did not finish within " + APPLY_TIMEOUT
              + "; it was stopped part-way");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while applying the dump", e);
      }
      Map<String, Object> outcome = new LinkedHashMap<>();
      if (p.exitValue() == 0) {
        outcome.put("statements", SqlScript.scan(file, 0).total());
        outcome.put("bytes", Files.size(file));
        return outcome;
      }
      List<String> lines = errors.linesStartingWith("ERROR");
      Matcher m = lines.isEmpty() ? null : CLIENT_ERROR.matcher(lines.get(lines.size() - 1));
      if (m == null || !m.matches()) {
        throw new IllegalStateException("applying the dump failed: " + SqlClient.errors(errors.text()));
      }
      long line = Long.parseLong(m.group(1));
      SqlScript.Count count = SqlScript.scan(file, line);
      outcome.put("error", "line " + line + ": " + m.group(2));
      outcome.put("line", line);
      // Statements before the failing one ran (each committed unless the dump opened a transaction).
      // Session settings (SET NAMES, USE...) do not count; several statements on line N might.
      outcome.put("applied", count.changingBefore() > 0 || count.on() > 1);
      return outcome;
    }
  }


  private static long parseLength(String header) {
    try {
      return header == null ? -1 : Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
