package io.conpaas.agent.web;

import static io.conpaas.agent.web.WebRoleFixture.get;
import static io.conpaas.agent.web.WebRoleFixture.hostPort;
import static io.conpaas.agent.web.WebRoleFixture.in;
import static io.conpaas.agent.web.WebRoleFixture.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.agent.code.TestArchives;
import io.conpaas.agent.code.UploadRejected;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Java backend running a real Tomcat: wars built by the test (javac against Tomcat's servlet API), versions, proxy. */
class JavaBackendRoleTest {
  private static final Path SERVLET_API = Path.of("/usr/share/java/tomcat10-servlet-api.jar");

  @TempDir
  static Path dir;
  private static WebRoleFixture fixture;
  private static JavaBackendRole backend;

  @BeforeAll
  static void startTomcatWithTwoWars() throws IOException {
    fixture = new WebRoleFixture(dir);
    backend = fixture.start("java-backend-0", new JavaBackendRole(WebRoleFixture.LIMITS), Map.of());
    backend.code().upload("v1", in(war("1")), -1);
    backend.code().upload("v2", in(war("2")), -1);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** A war with a servlet at /hello printing its version and a static page. */
  static byte[] war(String version) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src" + version + "/demo"));
    Path classes = Files.createDirectories(dir.resolve("classes" + version));
    Files.writeString(src.resolve("Hello.java"), """
        package demo;
        import jakarta.servlet.annotation.WebServlet;
        import jakarta.servlet.http.*;
        import java.io.IOException;
        @WebServlet("/hello")
        public class Hello extends HttpServlet {
          @Override protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int n = (Integer) java.util.Objects.requireNonNullElse(req.getSession().getAttribute("n"), 0) + 1;
            req.getSession().setAttribute("n", n);
            resp.setContentType("text/plain");
            resp.getWriter().print("java v%s " + n);
          }
        }
        """.formatted(version));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-proc:none", "--release", "17", "-cp", SERVLET_API.toString(), "-d",
        classes.toString(), src.resolve("Hello.java").toString());
    assertThat(rc).as("javac of the test servlet").isZero();
    return TestArchives.zip()
        .file("WEB-INF/classes/demo/Hello.class", Files.readAllBytes(classes.resolve("demo/Hello.class")))
        .file("index.html", "<h1>static v" + version + "</h1>").bytes();
  }

  @Test
  void servesTheActiveWarAndSwitchesVersions() {
    backend.activate("v1");
    assertThat(get(url(backend, "/hello")).body()).isEqualTo("java v1 1");
    assertThat(get(url(backend, "/")).body()).contains("static v1");

    backend.activate("v2");
    assertThat(get(url(backend, "/hello")).body()).isEqualTo("java v2 1");
    assertThat(backend.facts()).containsEntry("activeVersion", "v2");

    backend.activate("v1");
    assertThat(get(url(backend, "/hello")).body()).isEqualTo("java v1 1");
  }

  @Test
  void aJavaProxyBalancesToTomcatAndSessionsStickToTheirCookie() {
    backend.activate("v1");
    ProxyRole proxy = fixture.start("java-proxy-0", new ProxyRole(false),
        Map.of("backends", hostPort(backend)));
    var browser = WebRoleFixture.browser();

    assertThat(get(browser, url(proxy, "/hello")).body()).isEqualTo("java v1 1");
    assertThat(get(browser, url(proxy, "/hello")).body()).isEqualTo("java v1 2");
    assertThat(proxy.facts()).doesNotContainKey("sessionPort");
  }

  @Test
  void aJavaWebServerServesTheWarsStaticFilesButNeverItsWebInf() throws IOException {
    WebRole web = fixture.start("java-web-0", new WebRole(java.util.Set.of(io.conpaas.agent.code.ArchiveFormat.ZIP),
        WebRoleFixture.LIMITS), Map.of());
    web.code().upload("v1", in(war("1")), -1);
    web.activate("v1");

    assertThat(get(url(web, "/index.html")).body()).contains("static v1");
    assertThat(get(url(web, "/WEB-INF/classes/demo/Hello.class")).statusCode()).isEqualTo(404);
  }

  @Test
  void aWarMustBeAZip() {
    assertThatThrownBy(() -> backend.code().upload("v3", in(TestArchives.tar().file("index.jsp", "x").gzipped()), -1))
        .isInstanceOf(UploadRejected.class).hasMessageContaining("expected a war (zip) archive");
    assertThat(backend.code().list()).extracting(v -> v.version()).isEqualTo(List.of("default", "v1", "v2"));
  }
}
