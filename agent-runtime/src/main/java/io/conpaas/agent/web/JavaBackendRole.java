package io.conpaas.agent.web;

import io.conpaas.agent.code.ArchiveFormat;
import io.conpaas.agent.code.ArchiveLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The JavaService backend: a Tomcat 10 (Jakarta Servlet 6) serving the active war at "/".
 * Keys: see {@link CodeServingRole}. Activation redeploys the ROOT context (a short gap in which
 * requests get 404; ConPaaS redeployed the same way).
 */
public final class JavaBackendRole extends CodeServingRole {
  private TomcatServer tomcat;

  public JavaBackendRole(ArchiveLimits limits) {
    super("backend", Set.of(ArchiveFormat.ZIP), limits);
  }

  @Override
  protected void applyServers(Map<String, String> config, int port) {
    if (tomcat == null) {
      tomcat = new TomcatServer(roleDir.resolve("tomcat"), user);
    }
    tomcat.apply(context.bindAddress(), port, activeTree());
  }

  private Path activeTree() {
    return code.tree(code.active().orElse(io.conpaas.agent.code.CodeVersions.DEFAULT_VERSION));
  }

  @Override
  protected void onActivated(Path tree) {
    tomcat.apply(context.bindAddress(), port, tree);
  }

  @Override
  protected void writeDefaultVersion(Path dir) throws IOException {
    Files.writeString(dir.resolve("index.html"), defaultPage("Java service"));
  }

  @Override
  public synchronized void stop() {
    if (tomcat != null) {
      tomcat.stop();
    }
  }
}
