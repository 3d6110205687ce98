package io.conpaas.iaas.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Why a local VM's agent process ended: the reason it recorded itself (the file named by
 * CONPAAS_AGENT_EXIT_FILE, written before it exits at start), else the last line of its log that
 * is not a stack frame. permanent: the agent said the cause is in its setup (exit status 78,
 * EX_CONFIG of sysexits.h), so a new VM on the same host would fail the same way. The driver is
 * not the agent's parent after an operator restart, hence a file rather than waitpid.
 */
record AgentExit(String reason, boolean permanent) {
  /** The agent's exit status for a configuration it cannot run with (as the agent-runtime uses it). */
  static final int CONFIGURATION_ERROR = 78;
  static final int MAX_REASON = 300;
  private static final int LOG_TAIL_BYTES = 16 * 1024;

  /** The reason of an agent that exited: its own record when there is one, else its log's last words. */
  static AgentExit of(Path exitFile, Path log) {
    return recorded(exitFile).orElseGet(() -> new AgentExit(
        lastWords(log).map(w -> "agent exited: " + w).orElse("agent exited without a word"), false));
  }

  static Optional<AgentExit> recorded(Path exitFile) {
    if (!Files.isRegularFile(exitFile)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(exitFile)) {
      p.load(new java.io.StringReader(new String(in.readNBytes(8 * 1024), StandardCharsets.UTF_8)));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
    String reason = sanitize(p.getProperty("reason", ""));
    int status;
    try {
      status = Integer.parseInt(p.getProperty("status", "").trim());
    } catch (NumberFormatException e) {
      status = -1;
    }
    return Optional.of(new AgentExit(reason.isEmpty() ? "agent exited with status " + status : reason,
        status == CONFIGURATION_ERROR));
  }

  /** The last line of the log's tail that says something (not blank, not a stack frame), sanitized. */
  static Optional<String> lastWords(Path log) {
    List<String> lines;
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, f.length() - LOG_TAIL_BYTES);
      byte[] tail = new byte[(int) (f.length() - start)];
      f.seek(start);
      f.readFully(tail);
      lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      return Optional.empty();
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String l = lines.get(i).strip();
      if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("... ") && !l.startsWith("Caused by:")) {
        return Optional.of(sanitize(l)).filter(s -> !s.isEmpty());
      }
    }
    return Optional.empty();
  }

  /**
   * One printable line of at most MAX_REASON characters. Key material never goes on: a line
   * from the first PEM armour on is cut, and so is anything after a password assignment.
   */
  static String sanitize(String text) {
    String s = text.replaceAll("\\p{Cntrl}+", " ").replaceAll("\\s+", " ").strip();
    int pem = s.indexOf("-----BEGIN");
    if (pem >= 0) {
      s = s.substring(0, pem) + "[key material removed]";
    }
    s = s.replaceAll("(?i)(password|secret|token)(\\s*[=:]\\s*)\\S+", "$1$2[removed]");
    return s.length() <= MAX_REASON ? s : s.substring(0, MAX_REASON - 1) + "…";
  }
}
