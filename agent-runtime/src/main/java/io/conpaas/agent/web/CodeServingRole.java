package io.conpaas.agent.web;

import io.conpaas.agent.api.WebRoleKeys;
import com.sun.net.httpserver.HttpHandler;
import io.conpaas.agent.RoleContext;
import io.conpaas.agent.RolePlugin;
import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import io.conpaas.agent.code.CodeEndpoints;
import io.conpaas.agent.code.CodeVersions;
import io.conpaas.agent.process.WorkerUser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A role that serves the service's code (web and backend roles): it keeps code versions, serves
 * the active one, and starts/reloads its servers on configure. Config keys: {@code port} (0 or
 * absent = pick a free one, reported as the {@code port} fact) and {@code activeVersion}
 * (optional: the uploaded version to serve).
 */
abstract class CodeServingRole implements RolePlugin {
  static final String PORT = WebRoleKeys.PORT;
  static final String ACTIVE_VERSION = WebRoleKeys.ACTIVE_VERSION;

  private final String name;
  private final Set<ArchiveFormat> formats;
  private final ArchiveLimits limits;
  protected RoleContext context;
  protected Path roleDir;
  protected WorkerUser user;
  protected CodeVersions code;
  protected volatile int port;
  private Map<String, String> config = Map.of();

  CodeServingRole(String name, Set<ArchiveFormat> formats, ArchiveLimits limits) {
    this.name = name;
    this.formats = formats;
    this.limits = limits;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(RoleContext context) {
    this.context = context;
    this.user = WorkerUser.detect();
    this.roleDir = context.roleDir(name);
    RoleConfig.publicDirectory(roleDir);
    user.checkCanReach(roleDir);
    code = new CodeVersions(roleDir.resolve("code"), formats, limits);
    code.ensureDefault(this::writeDefaultVersion);
  }

  @Override
  public synchronized void configure(Map<String, String> config) {
    int newPort = RoleConfig.port(config, PORT, roleDir.resolve("port"), context.bindAddress());
    String wanted = config.getOrDefault(ACTIVE_VERSION, "").trim();
    if (!wanted.isEmpty() && code.list().stream().noneMatch(v -> v.version().equals(wanted))) {
      throw new IllegalArgumentException(ACTIVE_VERSION + ": version " + wanted + " has not been uploaded");
    }
    applyServers(config, newPort);
    port = newPort;
    this.config = Map.copyOf(config);
    if (!wanted.isEmpty() && !code.active().orElse("").equals(wanted)) {
      activate(wanted);
    }
  }

  /** Makes version the one served (ConPaaS set_active_code); 404 UploadRejected when it was never uploaded. */
  public synchronized void activate(String version) {
    Path tree = code.activate(version);
    onActivated(tree);
  }

  /** The code versions of this role (for tests and the endpoints). */
  public CodeVersions code() {
    return code;
  }

  @Override
  public Map<String, HttpHandler> endpoints() {
    return new CodeEndpoints(code, this::activate).handlers();
  }

  @Override
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(PORT, Integer.toString(port));
    facts.put(ACTIVE_VERSION, code == null ? "" : code.active().orElse(""));
    return facts;
  }

  /** The configuration last applied. */
  protected Map<String, String> config() {
    return config;
  }

  /** Starts or reconfigures the role's servers on port (throws IllegalArgumentException for bad keys). */
  protected abstract void applyServers(Map<String, String> config, int port);

  /** Reacts to a new active version whose tree is at tree (e.g. reload or redeploy). */
  protected abstract void onActivated(Path tree);

  /** Writes the files served before any upload. */
  protected abstract void writeDefaultVersion(Path dir) throws IOException;

  static String defaultPage(String what) {
    return "<!DOCTYPE html><html><head><title>ConPaaS</title></head><body><h1>ConPaaS " + what
        + "</h1><p>No code version has been activated yet.</p></body></html>\n";
  }
}
