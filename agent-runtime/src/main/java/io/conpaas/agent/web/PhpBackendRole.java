package io.conpaas.agent.web;

import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
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
    if (Files.isRegularFile(passwordFile)) {
      env.put("CONPAAS_DB_PASSWORD_FILE", passwordFile.toString());
      try {
        String password = Files.readString(passwordFile).strip();
        // A password php-fpm could misread is only in the file.
        if (ENV_SAFE.matcher(password).matches()) {
          env.put("CONPAAS_DB_PASSWORD", password);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
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
    synchronized (this) {
      Path dir = dbDir();
      Files.createDirectories(dir);
      Path tmp = dir.resolve("password.next");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, c.password());
      user.own(tmp);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--------"));
      Files.move(tmp, dir.resolve("password"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      // The worker user reads the file, so it must be able to enter the directory.
      user.own(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      Files.writeString(dir.resolve("version"), c.version() == null ? "" : c.version());
      if (fpm != null) {
        applyServers(config(), port);
      }
    }
    io.conpaas.agent.JsonExchange.respond(ex, 200, info == null ? Map.of() : info.get());
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
      readable(script);
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

  private Path sessionDir(Path dir) {
    try {
      Files.createDirectories(dir);
      user.own(dir);
      // Session files are secrets: only the worker user may list or read them.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      return dir;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot use session directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void readable(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    if (version != null && Files.isRegularFile(version)) {
      try {
        facts.put(io.conpaas.agent.api.MysqlRoleKeys.CREDENTIALS_VERSION, Files.readString(version).strip());
      } catch (IOException e) {
        // Reported again on the next /info.
      }
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
