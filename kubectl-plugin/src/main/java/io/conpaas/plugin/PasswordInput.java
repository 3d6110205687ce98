package io.conpaas.plugin;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where reset-password reads a new password, and the rules it must meet: asked twice on the
 * terminal without echo, or the first line of stdin. Messages never contain the password.
 */
final class PasswordInput {
  static final int MIN_LENGTH = 8;

  /** The terminal, reading a line without echo; null at its end. */
  @FunctionalInterface
  interface Terminal {
    char[] readPassword(String prompt);
  }

  private PasswordInput() {}

  /** The process's terminal, or null when there is none (stdin or stdout redirected). */
  static Terminal systemTerminal() {
    Console console = System.console();
    if (console == null || !isTerminal(console)) {
      return null;
    }
    return prompt -> console.readPassword("%s", prompt);
  }

  /** Asks twice on {@code terminal} (null: there is none); the answers must match and meet the rules. */
  static String fromTerminal(Terminal terminal, String prompt) {
    if (terminal == null) {
      throw new CliException("no terminal to ask for the new password; give it on stdin with --password-stdin");
    }
    char[] first = terminal.readPassword(prompt);
    char[] second = null;
    try {
      if (first == null) {
        throw new CliException("no password entered; nothing was changed");
      }
      second = terminal.readPassword("Repeat it: ");
      if (second == null || !Arrays.equals(first, second)) {
        throw new CliException("the two passwords differ; nothing was changed");
      }
      return validate(new String(first));
    } finally {
      clear(first);
      clear(second);
    }
  }

  /** The first line of {@code in} (without its line break), which must meet the rules. */
  static String fromStream(InputStream in) {
    String line;
    try {
      line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      throw new CliException("cannot read the new password from stdin: " + ErrorMessages.describe(e));
    }
    if (line == null) {
      throw new CliException("no password on stdin (--password-stdin reads its first line); nothing was changed");
    }
    return validate(line);
  }

  /** {@code password}, when it has at least {@value #MIN_LENGTH} characters, no control characters and no blank at either end. */
  static String validate(String password) {
    if (password.isEmpty()) {
      throw new CliException("the new password is empty; nothing was changed");
    }
    if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
      throw new CliException("the new password is too short: it needs at least " + MIN_LENGTH
          + " characters; nothing was changed");
    }
    if (password.chars().anyMatch(Character::isISOControl)) {
      throw new CliException("the new password contains a control character; nothing was changed");
    }
    if (!password.equals(password.strip())) {
      // The operator strips the Secret's value: the database would get another password than the one typed.
      throw new CliException("the new password starts or ends with a blank; nothing was changed");
    }
    return password;
  }

  /** Console.isTerminal() where the JDK has it (22+, where System.console() may exist without a terminal). */
  private static boolean isTerminal(Console console) {
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22, a Console exists only with a terminal
    }
  }

  private static void clear(char[] chars) {
    if (chars != null) {
      Arrays.fill(chars, '\0');
    }
  }
}
