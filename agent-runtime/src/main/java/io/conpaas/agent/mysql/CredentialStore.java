package io.conpaas.agent.mysql;

import io.conpaas.agent.api.AgentJson;
import io.conpaas.agent.api.MysqlRoleKeys.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The service's passwords as last PUT, kept in a file only the agent's user can read (mode 600),
 * so that an agent restart keeps them. Nothing here ever prints a password.
 */
final class CredentialStore {
  /** MariaDB's limit for CHANGE MASTER ... MASTER_PASSWORD, applied to both passwords. */
  static final int MAX_PASSWORD = 96;
  private static final int MAX_VERSION = 128;

  private final Path file;
  private volatile Credentials current;

  CredentialStore(Path file) {
    this.file = file;
    this.current = read(file);
  }

  /** The credentials last saved (also those of a previous agent run); empty before the first PUT. */
  Optional<Credentials> current() {
    return Optional.ofNullable(current);
  }

  /** The version label of the current credentials, for the credentialsVersion fact. */
  Optional<String> version() {
    return current().map(Credentials::version);
  }

  void save(Credentials credentials) {
    validate(credentials);
    try {
      PrivateFiles.write(file, AgentJson.mapper().writeValueAsString(credentials));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode credentials", e);
    }
    current = credentials;
  }

  /** Throws IllegalArgumentException naming the field that is missing or unusable (never its value). */
  static void validate(Credentials c) {
    password("password", c.password());
    password("replicationPassword", c.replicationPassword());
    String v = c.version();
    if (v == null || v.isBlank() || v.length() > MAX_VERSION || v.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("version: must be 1 to " + MAX_VERSION + " printable characters");
    }
  }

  private static void password(String field, String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_PASSWORD
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(field + ": must be 1 to " + MAX_PASSWORD
          + " characters without control characters");
    }
  }

  /**
   * The mysql_native_password hash of password ("*" + hex SHA1(SHA1(password))), so that CREATE/ALTER
   * USER never carry the password itself into the server's binary log (and on to the slaves).
   */
  static String nativeHash(String password) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
      return "*" + HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(once));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  private static Credentials read(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      Credentials c = AgentJson.mapper().readValue(Files.readString(file, StandardCharsets.UTF_8), Credentials.class);
      validate(c);
      return c;
    } catch (IOException | IllegalArgumentException e) {
      // A damaged file counts as no credentials: the operator pushes them again (its message is not echoed,
      // it could quote a password).
      System.err.println("ignoring unreadable credentials file " + file);
      return null;
    }
  }
}
