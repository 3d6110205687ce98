package io.conpaas.agent.web;

import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** The web role (static content): nginx serving the active version's files. Keys: see {@link CodeServingRole}. */
public final class WebRole extends CodeServingRole {
  private NginxServer nginx;

  /** formats: tar/zip for PhpService, war (zip) for JavaService. */
  public WebRole(Set<ArchiveFormat> formats, ArchiveLimits limits) {
    super("web", formats, limits);
  }

  @Override
  protected void applyServers(Map<String, String> config, int port) {
    if (nginx == null) {
      nginx = new NginxServer(roleDir.resolve("nginx"), user);
    }
    nginx.apply(NginxSites.web(context.bindAddress(), port, code.current()),
        RoleConfig.probeHost(context.bindAddress()), port);
  }

  @Override
  protected void onActivated(Path tree) {
    // Nothing to reload: nginx resolves the `current` link on every request (no open_file_cache).
  }

  @Override
  protected void writeDefaultVersion(Path dir) throws IOException {
    Files.writeString(dir.resolve("index.html"), defaultPage("web server"));
  }

  @Override
  public synchronized void stop() {
    if (nginx != null) {
      nginx.stop();
    }
  }
}
