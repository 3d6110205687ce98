package io.conpaas.agent.mysql;

import java.nio.file.Path;

/**
 * Option files for the mariadb client programs that connect with a password (mariadb-dump from
 * the master, tests): the password is in a mode-600 file, never on a command line.
 */
final class ClientOptions {
  private ClientOptions() {}

  /** Writes file (mode 600) with a [client] group for user@host:port; pass it as --defaults-file. */
  static Path write(Path file, String user, String password, String host, int port) {
    PrivateFiles.write(file, "[client]\n"
        + "user=" + quoted(user) + "\n"
        + "password=" + quoted(password) + "\n"
        + "host=" + quoted(host) + "\n"
        + "port=" + port + "\n"
        + "protocol=TCP\n");
    return file;
  }

  /** A double-quoted option value: backslash and double quote escaped (control characters are refused earlier). */
  static String quoted(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
