package io.conpaas.agent.web;

import io.conpaas.agent.process.Binaries;
import io.conpaas.agent.process.ChildProcess;
import io.conpaas.agent.process.LogFile;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Tomcat 10 instance of a Java backend: Debian's Tomcat as CATALINA_HOME, the role's directory
 * as CATALINA_BASE. The active version is the ROOT context, deployed from a descriptor whose
 * docBase names the version's expanded war; rewriting it makes Tomcat redeploy (autoDeploy).
 * Tomcat runs as the worker user and may write only work/ and temp/; the rest of the base is root's.
 */
public final class TomcatServer {
  private static final String DEPLOYED = "has finished in";

  private final Path base;
  private final WorkerUser user;
  private final Path home = Binaries.tomcatHome();
  private ChildProcess process;
  private int port;
  private Path docBase;

  public TomcatServer(Path base, WorkerUser user) {
    this.base = base;
    this.user = user;
    // Root writes the configuration, the descriptor, the pid file and Tomcat's output: those
    // directories are root's. Tomcat (the worker user, running tenant code) writes only work/
    // (compiled JSPs, sessions) and temp/ (java.io.tmpdir), where root never writes.
    for (String d : List.of("", "conf", "conf/Catalina", "conf/Catalina/localhost", "logs", "webapps")) {
      RoleConfig.publicDirectory(d.isEmpty() ? base : base.resolve(d));
    }
    for (String d : List.of("work", "temp")) {
      SafeFiles.workerDirectory(base.resolve(d), user.name(), "rwx------");
    }
    ChildProcess.killStale(base.resolve("tomcat.pid"), "java");
  }

  /**
   * Starts Tomcat on bind:port serving docBase at "/", restarts it when the port changed, or
   * redeploys the ROOT context when only docBase changed; returns when it is deployed.
   */
  public synchronized void apply(String bind, int port, Path docBase) {
    boolean running = process != null && process.alive();
    if (running && port == this.port && docBase.equals(this.docBase)) {
      return;
    }
    if (running && port != this.port) {
      stop();
    }
    int deployedBefore = LogFile.count(base.resolve("logs/tomcat.out"), DEPLOYED);
    writeDescriptor(docBase);
    if (process == null || !process.alive()) {
      writeBaseConfig(bind, port);
      this.port = port;
      List<String> cmd = new ArrayList<>(user.commandPrefix());
      cmd.addAll(List.of(Binaries.java().toString(), "-Xmx256m", "-XX:+UseSerialGC",
          "-Dcatalina.home=" + home, "-Dcatalina.base=" + base, "-Djava.io.tmpdir=" + base.resolve("temp"),
          "-cp", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
          "org.apache.catalina.startup.Bootstrap", "start"));
      process = ChildProcess.start("tomcat", cmd, base, base.resolve("logs/tomcat.out"));
      RoleConfig.writeAtomically(base.resolve("tomcat.pid"), Long.toString(process.pid()));
      process.awaitPort(RoleConfig.probeHost(bind), port, Duration.ofSeconds(60));
    }
    awaitDeployment(deployedBefore);
    this.docBase = docBase;
  }

  private void awaitDeployment(int deployedBefore) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.alive()) {
        throw new IllegalStateException("tomcat exited: " + process.logTail());
      }
      if (LogFile.count(base.resolve("logs/tomcat.out"), DEPLOYED) > deployedBefore) {
        return;
      }
      ChildProcess.sleep(50);
    }
    throw new IllegalStateException("tomcat did not deploy the application: " + process.logTail());
  }

  /** Stops Tomcat (SIGTERM runs its shutdown hook, which stops the connector and the application). */
  public synchronized void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(20));
      process = null;
    }
  }

  private void writeDescriptor(Path docBase) {
    // Tomcat notices a changed descriptor by its modification time; a same-second rewrite must still count.
    Path descriptor = base.resolve("conf/Catalina/localhost/ROOT.xml");
    long before = Files.exists(descriptor) ? descriptor.toFile().lastModified() : 0;
    RoleConfig.writeAtomically(descriptor, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Context docBase=\""
        + xml(docBase.toString()) + "\" reloadable=\"false\"/>\n");
    if (descriptor.toFile().lastModified() <= before) {
      descriptor.toFile().setLastModified(before + 1000);
    }
  }

  private void writeBaseConfig(String bind, int port) {
    RoleConfig.writeAtomically(base.resolve("conf/server.xml"), """
        <?xml version="1.0" encoding="UTF-8"?>
        <Server port="-1" shutdown="SHUTDOWN">
          <Service name="Catalina">
            <Connector port="%d" address="%s" protocol="HTTP/1.1" connectionTimeout="20000"/>
            <Engine name="Catalina" defaultHost="localhost" backgroundProcessorDelay="1">
              <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="true"
                    deployOnStartup="true"/>
            </Engine>
          </Service>
        </Server>
        """.formatted(port, xml(bind)));
    RoleConfig.writeAtomically(base.resolve("conf/catalina.properties"),
        "common.loader=\"${catalina.base}/lib\",\"${catalina.base}/lib/*.jar\",\"${catalina.home}/lib\","
            + "\"${catalina.home}/lib/*.jar\"\n"
            + "tomcat.util.scan.StandardJarScanFilter.jarsToSkip=*.jar\n");
    RoleConfig.writeAtomically(base.resolve("conf/web.xml"), GlobalWebXml.TEXT);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
