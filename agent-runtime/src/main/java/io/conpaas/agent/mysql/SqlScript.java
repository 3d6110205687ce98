package io.conpaas.agent.mysql;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Splits an SQL script into statements the way the mariadb client does (quotes, comments,
 * DELIMITER), streaming, to count them and to tell whether statements that change something came
 * before a given line. A statement's line is where its first SQL text is, as in the client's
 * "ERROR ... at line N". Read as ISO-8859-1: every byte that matters to the split is ASCII.
 */
final class SqlScript {
  /** Statements that only set up the session (SET NAMES, USE, LOCK TABLES...): they apply nothing. */
  private static final Pattern SESSION_ONLY = Pattern.compile(
      "(?s)(/\\*M?!\\d*\\s*)?(USE\\s|LOCK\\s+TABLES|UNLOCK\\s+TABLES|SELECT\\s|SHOW\\s|SET\\s+(?!GLOBAL\\b|@@GLOBAL\\.|PASSWORD\\b|ROLE\\b|DEFAULT\\s+ROLE\\b)).*");
  private static final int PREFIX = 48;

  /** Statements in all; before line: statements (and those that change something) starting earlier; on: starting on it. */
  record Count(long total, long before, long changingBefore, long on) {}

  private SqlScript() {}

  /** Scans file; line is the client's error line (0 when only the total is wanted). */
  static Count scan(Path file, long line) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      return new Scanner(r, line).run();
    }
  }

  /** A streaming state machine over the script's characters. */
  private static final class Scanner {
    private final Reader in;
    private final long errorLine;
    private final char[] buf = new char[64 * 1024];
    private int pos;
    private int len;
    private long line = 1;
    private String delimiter = ";";
    private boolean inStatement;
    private long startLine;
    private final StringBuilder prefix = new StringBuilder();
    private boolean lineStart = true;
    private long total;
    private long before;
    private long changingBefore;
    private long on;

    Scanner(Reader in, long errorLine) {
      this.in = in;
      this.errorLine = errorLine;
    }

    Count run() throws IOException {
      int c;
      while ((c = peek(0)) >= 0) {
        if (!inStatement && lineStart && clientCommandLine()) {
          continue;
        }
        if (c == '\n') {
          next();
          continue;
        }
        if (startsWith(delimiter)) {
          skip(delimiter.length());
          end();
          lineStart = false;
          continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
          content();
          quoted((char) c);
        } else if (c == '#' || (c == '-' && peek(1) == '-' && (peek(2) < 0 || Character.isWhitespace(peek(2))))) {
          skipToEndOfLine();
        } else if (c == '/' && peek(1) == '*' && !(peek(2) == '!' || (peek(2) == 'M' && peek(3) == '!'))) {
          skip(2);
          blockComment();
        } else if (Character.isWhitespace(c)) {
          next();
        } else {
          content();
          next();
        }
      }
      end();
      return new Count(total, before, changingBefore, on);
    }

    /** DELIMITER x and the dump's sandbox line are the client's own commands, one line each, between statements. */
    private boolean clientCommandLine() throws IOException {
      int i = 0;
      while (peek(i) == ' ' || peek(i) == '\t') {
        i++;
      }
      if (matchesIgnoreCase(i, "delimiter") && (peek(i + 9) == ' ' || peek(i + 9) == '\t')) {
        skip(i + 9);
        String rest = restOfLine().strip();
        int space = rest.indexOf(' ');
        String d = space < 0 ? rest : rest.substring(0, space);
        if (!d.isEmpty()) {
          delimiter = d;
        }
        return true;
      }
      if (matchesIgnoreCase(i, "/*M!999999\\-")) {
        restOfLine();
        return true;
      }
      lineStart = false;
      return false;
    }

    private void content() {
      if (!inStatement) {
        inStatement = true;
        startLine = line;
        prefix.setLength(0);
      }
    }

    private void end() {
      if (!inStatement) {
        return;
      }
      inStatement = false;
      total++;
      if (errorLine > 0 && startLine < errorLine) {
        before++;
        if (!SESSION_ONLY.matcher(prefix.toString().toUpperCase(Locale.ROOT)).matches()) {
          changingBefore++;
        }
      } else if (startLine == errorLine) {
        on++;
      }
    }

    private void quoted(char quote) throws IOException {
      next();
      int c;
      while ((c = peek(0)) >= 0) {
        if (c == '\\' && quote != '`') {
          next();
          if (peek(0) >= 0) {
            next();
          }
        } else if (c == quote) {
          next();
          return;
        } else {
          next();
        }
      }
    }

    private void blockComment() throws IOException {
      int c;
      while ((c = peek(0)) >= 0) {
        if (c == '*' && peek(1) == '/') {
          skip(2);
          return;
        }
        next();
      }
    }

    private void skipToEndOfLine() throws IOException {
      while (peek(0) >= 0 && peek(0) != '\n') {
        next();
      }
    }

    private String restOfLine() throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = peek(0)) >= 0 && c != '\n') {
        if (b.length() < 256) {
          b.append((char) c);
        }
        next();
      }
      return b.toString();
    }

    private boolean startsWith(String s) throws IOException {
      for (int i = 0; i < s.length(); i++) {
        if (peek(i) != s.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private boolean matchesIgnoreCase(int offset, String s) throws IOException {
      for (int i = 0; i < s.length(); i++) {
        int c = peek(offset + i);
        if (c < 0 || Character.toLowerCase((char) c) != Character.toLowerCase(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    private void skip(int n) throws IOException {
      for (int i = 0; i < n; i++) {
        next();
      }
    }

    /** Consumes one character, counting lines and keeping the start of the current statement. */
    private void next() throws IOException {
      int c = peek(0);
      if (c < 0) {
        return;
      }
      pos++;
      if (c == '\n') {
        line++;
        lineStart = true;
      }
      if (inStatement && prefix.length() < PREFIX) {
        prefix.append(Character.isWhitespace(c) ? ' ' : (char) c);
      }
    }

    /** The character offset ahead of the current one, or -1 at the end. */
    private int peek(int offset) throws IOException {
      while (pos + offset >= len) {
        if (pos > 0) {
          System.arraycopy(buf, pos, buf, 0, len - pos);
          len -= pos;
          pos = 0;
        }
        int n = in.read(buf, len, buf.length - len);
        if (n < 0) {
          return -1;
        }
        len += n;
      }
      return buf[pos + offset];
    }
  }
}
