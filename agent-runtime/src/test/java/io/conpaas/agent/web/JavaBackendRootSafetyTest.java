package io.conpaas.agent.web;

import static io.conpaas.agent.web.WebRoleFixture.get;
import static io.conpaas.agent.web.WebRoleFixture.in;
import static io.conpaas.agent.web.WebRoleFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conpaas.agent.code.TestArchives;
import io.conpaas.agent.process.SafeFiles;
import io.conpaas.agent.process.WorkerAttack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant code in a Java backend (a servlet, running as www-data in Tomcat) cannot make the root
 * agent write to a root-owned file: links it puts where root used to write (logs/tomcat.out, the
 * configuration) are refused or ignored across a restart and an activation.
 */
class JavaBackendRootSafetyTest {
  private static final Path SERVLET_API = Path.of("/usr/share/java/tomcat10-servlet-api.jar");
  /** Where the agent (root) wrote in Tomcat's base, relative to it, with the temp names it used. */
  private static final List<String> ROOT_WRITES = List.of("logs/tomcat.out", "tomcat.pid", "tomcat.pid.tmp",
      "conf/server.xml", "conf/server.xml.tmp", "conf/web.xml.tmp", "conf/catalina.properties.tmp",
      "conf/Catalina/localhost/ROOT.xml", "conf/Catalina/localhost/ROOT.xml.tmp");

  @TempDir
  Path dir;
  private WebRoleFixture fixture;
  private WorkerAttack attack;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
    if (attack != null) {
      attack.cleanUp();
    }
  }

  @Test
  void aServletThatLinksTomcatsLogAndConfigurationToARootFileCannotMakeRootWriteIt() throws IOException {
    assumeTrue(SafeFiles.agentIsRoot(), "the agent drops to a worker user only as root");
    attack = WorkerAttack.againstNewVictim();
    fixture = new WebRoleFixture(dir);
    JavaBackendRole backend = fixture.start("java-backend-0", new JavaBackendRole(WebRoleFixture.LIMITS), Map.of());
    backend.code().upload("v1", in(attackWar(attack.victim())), -1);
    backend.code().upload("v2", in(attackWar(attack.victim())), -1);
    backend.activate("v1");

    // The tenant's servlet tries every path root wrote; today's agent lets none of them be planted.
    String report = get(url(backend, "/plant")).body();
    assertThat(report).contains("logs/tomcat.out");
    Path roleDir = dir.resolve("java-backend-0/backend");
    // And whatever the worker can write anywhere in the role's tree gets links named like root's files.
    attack.plantLinks(roleDir, List.of("tomcat.out", "tomcat.pid", "ROOT.xml", "server.xml", "port"), List.of());

    // Restart (the agent's configure after a stop) and activation (a new descriptor).
    RuntimeException restartFailure = null;
    try {
      backend.stop();
      backend.configure(Map.of());
      backend.activate("v2");
    } catch (RuntimeException e) {
      restartFailure = e;
    }
    attack.assertVictimUnchanged();
    if (restartFailure != null) {
      throw restartFailure;
    }
    assertThat(get(url(backend, "/plant")).statusCode()).isEqualTo(200);
    assertThat(attack.rootFilesInWritableDirectories(roleDir))
        .as("files root wrote where the worker could have put a link (tenant said: %s)", report).isEmpty();
    assertThat(Files.getOwner(roleDir.resolve("tomcat/conf/server.xml")).getName()).isEqualTo("root");
  }

  /** A war whose servlet /plant replaces each of root's paths in catalina.base by a link to victim. */
  private byte[] attackWar(Path victim) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/demo"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    StringBuilder paths = new StringBuilder();
    ROOT_WRITES.forEach(p -> paths.append('"').append(p).append("\","));
    Files.writeString(src.resolve("Plant.java"), """
        package demo;
        import jakarta.servlet.annotation.WebServlet;
        import jakarta.servlet.http.*;
        import java.io.IOException;
        import java.nio.file.*;
        @WebServlet("/plant")
        public class Plant extends HttpServlet {
          @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            Path base = Path.of(System.getProperty("catalina.base"));
            StringBuilder out = new StringBuilder("user " + System.getProperty("user.name") + "\\n");
            for (String p : new String[] {%s}) {
              try {
                Files.deleteIfExists(base.resolve(p));
                Files.createSymbolicLink(base.resolve(p), Path.of("%s"));
                out.append("planted ").append(p).append('\\n');
              } catch (IOException | RuntimeException e) {
                out.append("refused ").append(p).append(": ").append(e).append('\\n');
              }
            }
            resp.setContentType("text/plain");
            resp.getWriter().print(out);
          }
        }
        """.formatted(paths, victim));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-proc:none", "--release", "17", "-cp", SERVLET_API.toString(), "-d",
        classes.toString(), src.resolve("Plant.java").toString());
    assertThat(rc).as("javac of the test servlet").isZero();
    return TestArchives.zip()
        .file("WEB-INF/classes/demo/Plant.class", Files.readAllBytes(classes.resolve("demo/Plant.class"))).bytes();
  }
}
