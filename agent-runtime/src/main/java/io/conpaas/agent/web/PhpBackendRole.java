package io.conpaas.agent.web;

import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.agent.process.SafeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The PhpService backend: nginx in front of php-fpm, serving the active version. Keys besides
 * {@link CodeServingRole}'s: {@code debug} (true shows PHP errors in pages, ConPaaS toggle_debug;
 * default false), and where sessions live so that every backend sees them: {@code sessionStore}
 * (URL of the proxy's store, e.g. http://10.0.0.5:8081/sessions/) or {@code sessionDir} (a
 * directory all backends share: one host, or a shared file system); neither = this backend only.
 */
public final class PhpBackendRole extends CodeServingRole {
  static final String DEBUG = WebRoleKeys.DEBUG;
  static final String SESSION_STORE = WebRoleKeys.SESSION_STORE;
  static final String SESSION_DIR = "sessionDir";
  private static final Pattern STORE_URL = Pattern.compile("https?://[A-Za-z0-9.\\-]+(:\\d{1,5})?/[A-Za-z0-9/._-]*");
  private static final Pattern SAFE_DIR = Pattern.compile("/[A-Za-z0-9/._-]*");
  /** E_ALL (php_admin_value takes no constant names). */
  private static final String E_ALL = "32767";

  /** What an environment value may hold (php-fpm interprets quotes, backslashes and '$'). */
  private static final Pattern ENV_SAFE = Pattern.compile("[A-Za-z0-9 ._~!@#%^&*()+=,:;?/\\[\\]{}|<>-]*");
  private static final Pattern DB_HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");
  private static final Pattern DB_USER = Pattern.compile("[A-Za-z0-9_]{1,32}");

  private NginxServer nginx;
  private PhpFpmServer fpm;
  private volatile boolean debug;
  private java.util.function.Supplier<io.conpaas.agent.api.AgentInfo> info;

  public PhpBackendRole(ArchiveLimits limits) {
    super("backend", Set.of(ArchiveFormat.ZIP, ArchiveFormat.TAR, ArchiveFormat.TAR_GZ), limits);
  }

  @Override
  protected void applyServers(Map<String, String> config, int port) {
    Map<String, String> admin = adminSettings(config);
    Map<String, String> values = sessionSettings(config);
    if (fpm == null) {
      fpm = new PhpFpmServer(roleDir.resolve("php-fpm"), user);
      nginx = new NginxServer(roleDir.resolve("nginx"), user);
    }
    fpm.apply(admin, values, environment(config));
    nginx.apply(NginxSites.phpBackend(context.bindAddress(), port, code.current(), fpm.socket(),
        context.agentName().replaceAll("[^A-Za-z0-9._-]", "_")), RoleConfig.probeHost(context.bindAddress()), port);
    debug = "On".equals(admin.get("display_errors"));
  }

  /**
   * The database the PHP code uses (PhpService spec.database): host, port and user from the
   * configuration, the password from the credentials the operator sent, as CONPAAS_DB_* variables.
   */
  private Map<String, String> environment(Map<String, String> config) {
    Map<String, String> env = new LinkedHashMap<>();
    String host = config.getOrDefault(WebRoleKeys.DB_HOST, "").trim();
    if (host.isEmpty()) {
      return env;
    }
    if (!DB_HOST.matcher(host).matches()) {
      throw new IllegalArgumentException(WebRoleKeys.DB_HOST + ": \"" + host + "\" is not a host name or address");
    }
    env.put("CONPAAS_DB_HOST", host);
    env.put("CONPAAS_DB_PORT", Integer.toString(RoleConfig.integer(config, WebRoleKeys.DB_PORT, 3306, 1, 65535)));
    String user = config.getOrDefault(WebRoleKeys.DB_USER, "").trim();
    if (!user.isEmpty()) {
      if (!DB_USER.matcher(user).matches()) {
        throw new IllegalArgumentException(WebRoleKeys.DB_USER + ": \"" + user + "\" is not a MySQL user name");
      }
      env.put("CONPAAS_DB_USER", user);
    }
    Path passwordFile = dbDir().resolve("password");
    java.util.Optional<String> stored = SafeFiles.readTail(passwordFile, 64 * 1024);
    if (stored.isPresent()) {
      env.put("CONPAAS_DB_PASSWORD_FILE", passwordFile.toString());
      String password = stored.get().strip();
      // A password php-fpm could misread is only in the file.
      if (ENV_SAFE.matcher(password).matches()) {
        env.put("CONPAAS_DB_PASSWORD", password);
      }
    }
    return env;
  }

  private Path dbDir() {
    return roleDir.resolve("db");
  }

  /**
   * PUT /mysql/credentials: the password of the database the PHP code uses, kept in a file only
   * the worker user reads; the servers reload with it.
   */
  private void credentials(com.sun.net.httpserver.HttpExchange ex) throws IOException {
    if (!"PUT".equals(ex.getRequestMethod())) {
      io.conpaas.agent.JsonExchange.error(ex, 405, "use PUT");
      return;
    }
    io.conpaas.agent.api.MysqlRoleKeys.Credentials c;
    try (var in = ex.getRequestBody()) {
      c = io.conpaas.agent.api.AgentJson.mapper().readValue(in.readNBytes(64 * 1024),
          io.conpaas.agent.api.MysqlRoleKeys.Credentials.class);
    } catch (IOException e) {
      io.conpaas.agent.JsonExchange.error(ex, 400, "body is not credentials JSON");
      return;
    }
    if (c == null || c.password() == null || c.password().isBlank()) {
      io.conpaas.agent.JsonExchange.error(ex, 400, "credentials need a password");
      return;
    }
    storeCredentials(c.password(), c.version() == null ? "" : c.version());
    io.conpaas.agent.JsonExchange.respond(ex, 200, info == null ? Map.of() : info.get());
  }

  /**
   * Keeps the password in db/password, readable by the worker user only through its group (root
   * owns file and directory, so the worker can neither replace them nor plant a link root would
   * write through), and reloads the servers with it.
   */
  synchronized void storeCredentials(String password, String version) {
    Path dir = SafeFiles.agentDirectory(dbDir(), "rwx--x--x");
    Path tmp = dir.resolve("password.next");
    SafeFiles.write(tmp, password.getBytes(java.nio.charset.StandardCharsets.UTF_8), "rw-------");
    try {
      java.util.Optional<String> worker = user.name();
      if (worker.isPresent()) {
        // tmp is root's, in root's directory: nobody can swap it for a link before these calls.
        Files.getFileAttributeView(tmp, java.nio.file.attribute.PosixFileAttributeView.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS).setGroup(tmp.getFileSystem().getUserPrincipalLookupService()
            .lookupPrincipalByGroupName(worker.get()));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r-----"));
      } else {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--------"));
      }
      Files.move(tmp, dir.resolve("password"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the database password in " + dir, e);
    }
    SafeFiles.write(dir.resolve("version"), version);
    if (fpm != null) {
      applyServers(config(), port);
    }
  }

  @Override
  public void agentInfo(java.util.function.Supplier<io.conpaas.agent.api.AgentInfo> info) {
    this.info = info;
  }

  @Override
  public Map<String, com.sun.net.httpserver.HttpHandler> endpoints() {
    Map<String, com.sun.net.httpserver.HttpHandler> handlers = new LinkedHashMap<>(super.endpoints());
    handlers.put(io.conpaas.agent.api.AgentPaths.MYSQL_CREDENTIALS, this::credentials);
    return handlers;
  }

  /** The php_admin_value settings: the debug toggle (an application cannot turn errors on by itself). */
  private static Map<String, String> adminSettings(Map<String, String> config) {
    boolean showErrors = RoleConfig.bool(config, DEBUG, false);
    Map<String, String> php = new LinkedHashMap<>();
    php.put("display_errors", showErrors ? "On" : "Off");
    php.put("display_startup_errors", showErrors ? "On" : "Off");
    php.put("error_reporting", E_ALL);
    return php;
  }

  /**
   * The php_value settings: where sessions live. Plain values, not admin ones: an admin
   * session.save_handler would make session_set_save_handler (ours and applications') fail.
   */
  private Map<String, String> sessionSettings(Map<String, String> config) {
    Map<String, String> php = new LinkedHashMap<>();
    String store = config.getOrDefault(SESSION_STORE, "").trim();
    String dir = config.getOrDefault(SESSION_DIR, "").trim();
    if (!store.isEmpty()) {
      if (!STORE_URL.matcher(store).matches()) {
        throw new IllegalArgumentException(SESSION_STORE + ": \"" + store + "\" is not an http URL of a session store");
      }
      Path script = roleDir.resolve("phpsession.php");
      RoleConfig.writeAtomically(script, PhpSessionScript.forStore(store.endsWith("/") ? store : store + "/"));
      php.put("auto_prepend_file", script.toString());
      return php;
    }
    if (!dir.isEmpty() && (!SAFE_DIR.matcher(dir).matches() || dir.contains(".."))) {
      throw new IllegalArgumentException(SESSION_DIR + ": \"" + dir + "\" is not an absolute, plain directory path");
    }
    php.put("session.save_handler", "files");
    php.put("session.save_path", sessionDir(dir.isEmpty() ? roleDir.resolve("sessions") : Path.of(dir)).toString());
    // Debian's php.ini leaves expiry to a cron job that knows only /var/lib/php/sessions.
    php.put("session.gc_probability", "1");
    php.put("session.gc_divisor", "100");
    return php;
  }

  /**
   * The session directory: the worker's alone (rwx------). Only that directory itself is given to
   * the worker, never a walk below it (where the worker could swap a directory for a link), and a
   * configured directory must be the worker's or new.
   */
  private Path sessionDir(Path dir) {
    java.nio.file.LinkOption nofollow = java.nio.file.LinkOption.NOFOLLOW_LINKS;
    try {
      if (user.name().isPresent() && !dir.startsWith(roleDir) && Files.exists(dir, nofollow)
          && (!Files.isDirectory(dir, nofollow) || !Files.getOwner(dir, nofollow).getName().equals(user.name().get()))) {
        throw new IllegalArgumentException("cannot use session directory " + dir + ": it exists and is not a directory"
            + " of " + user.name().get());
      }
      Files.createDirectories(dir.toAbsolutePath().getParent());
      return SafeFiles.workerDirectory(dir, user.name(), "rwx------");
    } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
      throw new IllegalArgumentException("cannot use session directory " + dir + ": " + e.getMessage(), e);
    }
  }

  @Override
  protected void onActivated(Path tree) {
    // nginx hands PHP the real path of the new tree; a graceful php-fpm reload also drops the
    // old version's OPcache and realpath cache entries.
    fpm.apply(adminSettings(config()), sessionSettings(config()), environment(config()));
  }

  @Override
  protected void writeDefaultVersion(Path dir) throws IOException {
    Files.writeString(dir.resolve("index.html"), defaultPage("PHP service"));
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>(super.facts());
    facts.put(DEBUG, Boolean.toString(debug));
    Path version = roleDir == null ? null : dbDir().resolve("version");
    if (version != null) {
      SafeFiles.readTail(version, 1024).ifPresent(v ->
          facts.put(io.conpaas.agent.api.MysqlRoleKeys.CREDENTIALS_VERSION, v.strip()));
    }
    return facts;
  }

  @Override
  public synchronized void stop() {
    if (nginx != null) {
      nginx.stop();
    }
    if (fpm != null) {
      fpm.stop();
    }
  }
}
