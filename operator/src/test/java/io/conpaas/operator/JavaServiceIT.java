package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind;
import io.conpaas.api.v1alpha1.CodeVersionStatus;
import io.conpaas.api.v1alpha1.JavaService;
import io.conpaas.operator.testing.CodeUploads;
import io.conpaas.operator.testing.Fixtures;
import io.conpaas.operator.testing.LocalWorld;
import io.conpaas.operator.testing.TestOperator;
import io.conpaas.operator.testing.WebServiceSteps;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java web hosting end to end on real Tomcat and nginx agents of the local cloud: wars built by
 * the test (javac against Tomcat's servlet API) uploaded through the Kubernetes-authorized path,
 * served through the proxy after activation, rollback, and uploads a JavaService must refuse.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JavaServiceIT {
  private static final Path SERVLET_API = Path.of("/usr/share/java/tomcat10-servlet-api.jar");
  private static final String NAME = "webapp";

  @TempDir
  static Path workDir;
  @TempDir
  static Path files;

  private KubernetesClient client;
  private LocalWorld world;
  private ConpaasOperator operator;
  private CodeUploads uploads;
  private WebServiceSteps<JavaService> steps;

  @BeforeAll
  void startOperatorAndService() throws IOException {
    assertThat(SERVLET_API).as("Tomcat's servlet API (Debian package libtomcat10-java)").isRegularFile();
    // Agents run as root here, so their servers drop to www-data, which must reach the VM dirs.
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    client = DevCluster.client();
    world = LocalWorld.create(client, "java", workDir);
    operator = TestOperator.start(TestOperator.settings(world.namespace(), workDir, Duration.ofSeconds(60), 3),
        TestOperator.localDrivers(workDir));
    uploads = new CodeUploads(client, world.namespace());
    steps = new WebServiceSteps<>(client, world.namespace(), JavaService.class, NAME, ServiceKind.JavaService);
    client.resource(Fixtures.java(world.namespace(), NAME, LocalWorld.APP)).create();
    steps.awaitRunning();
  }

  @AfterAll
  void deleteEverything() {
    if (operator != null) {
      client.resources(JavaService.class).inNamespace(world.namespace()).withName(NAME).delete();
      await().atMost(Duration.ofSeconds(90)).until(() ->
          client.resources(JavaService.class).inNamespace(world.namespace()).withName(NAME).get() == null);
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.resources(Agent.class).inNamespace(world.namespace()).list().getItems().isEmpty());
      operator.close();
    }
    if (world != null) {
      world.close();
    }
  }

  @Test
  @Order(1)
  void aNewServiceRunsWithAProxyUrlAndServesTheDefaultPage() {
    JavaService s = steps.service();
    assertThat(s.getStatus().getEndpoints()).hasSize(1);
    assertThat(s.getStatus().getEndpoints().get(0).getUrl()).startsWith("http://127.0.0.1:");
    assertThat(s.getStatus().getCode().getVersions()).isEmpty();
    assertThat(client.resources(Agent.class).inNamespace(world.namespace()).list().getItems())
        .extracting(a -> a.getSpec().getRole()).containsExactlyInAnyOrder("backend", "web", "proxy");
    HttpResponse<String> home = steps.get("/");
    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body()).contains("No code version has been activated yet");
  }

  @Test
  @Order(2)
  void uploadedWarsAreServedAfterActivationAndRollbackServesTheOlderOne() throws IOException {
    steps.upload("v1", war("1"));
    steps.upload("v2", war("2"));
    assertThat(steps.get("/hello").body()).doesNotContain("java v");

    steps.activate("v1");
    assertThat(steps.get("/hello").body()).isEqualTo("java v1 1");
    assertThat(steps.get("/static.txt").body()).isEqualTo("plain v1");
    assertThat(steps.get("/index.html").body()).contains("static v1");
    // A war's private parts are never served: not by the web server, not by Tomcat.
    assertThat(steps.get("/WEB-INF/classes/demo/Hello.class").statusCode()).isEqualTo(404);
    assertThat(steps.get("/WEB-INF/web.xml").statusCode()).isEqualTo(404);

    steps.activate("v2");
    assertThat(steps.get("/hello").body()).isEqualTo("java v2 1");
    assertThat(steps.get("/static.txt").body()).isEqualTo("plain v2");

    steps.activate("v1");
    assertThat(steps.get("/hello").body()).isEqualTo("java v1 1");
    assertThat(steps.get("/static.txt").body()).isEqualTo("plain v1");
    assertThat(steps.service().getStatus().getCode().getVersions()).extracting(CodeVersionStatus::getVersion)
        .containsExactly("v1", "v2");
    assertThat(steps.service().getStatus().getCode().getVersions()).allSatisfy(v -> {
      assertThat(v.getSha256()).hasSize(64);
      assertThat(v.getOrigin()).isEqualTo("upload");
    });
  }

  @Test
  @Order(3)
  void aTarOrAFileThatIsNoArchiveIsRejectedWithTheProblemAndTheServedVersionStays() throws IOException {
    record Case(String version, Path archive, String message) {}
    List<Case> cases = List.of(
        new Case("bad1", Files.write(files.resolve("app.tar"), tar("index.jsp", "<%= 1 %>", "static.txt", "t")),
            "a tar archive is not accepted here; expected a war (zip) archive"),
        new Case("bad2", Files.writeString(files.resolve("notes.txt"), "just some text, not an archive"),
            "not an archive"));
    for (Case c : cases) {
      CodeUploads.Result r = uploads.upload(ServiceKind.JavaService, NAME, c.version(), c.archive());
      assertThat(r.status()).as(c.version() + ": " + r.body()).isBetween(400, 499);
      assertThat(r.body()).as(c.version()).contains(c.message());
      assertThat(r.request().getStatus().getPhase()).isEqualTo(CodeUploadPhase.Failed);
      assertThat(r.request().getStatus().getMessage()).as(c.version()).contains(c.message());
    }
    assertThat(steps.service().getStatus().getCode().getVersions()).extracting(CodeVersionStatus::getVersion)
        .containsExactly("v1", "v2");
    assertThat(steps.get("/hello").body()).isEqualTo("java v1 1");
    // Nothing of a rejected archive reached the operator's store.
    try (Stream<Path> stored = Files.walk(workDir.resolveSibling(workDir.getFileName() + "-code"))) {
      assertThat(stored.map(Path::toString)).noneMatch(p -> p.contains("bad1") || p.contains("bad2"));
    }
  }

  /** A war with a servlet at /hello answering "java v&lt;version&gt; &lt;hits in this session&gt;", and static files. */
  private static Path war(String version) throws IOException {
    Path src = Files.createDirectories(files.resolve("src" + version + "/demo"));
    Path classes = Files.createDirectories(files.resolve("classes" + version));
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
    assertThat(javac).as("a JDK's compiler").isNotNull();
    int rc = javac.run(null, null, null, "-proc:none", "--release", "17", "-cp", SERVLET_API.toString(), "-d",
        classes.toString(), src.resolve("Hello.java").toString());
    assertThat(rc).as("javac of the test servlet").isZero();

    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(buf)) {
      entry(zip, "WEB-INF/web.xml", ("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\""
          + " metadata-complete=\"false\"/>").getBytes(StandardCharsets.UTF_8));
      entry(zip, "WEB-INF/classes/demo/Hello.class", Files.readAllBytes(classes.resolve("demo/Hello.class")));
      entry(zip, "index.html", ("<h1>static v" + version + "</h1>").getBytes(StandardCharsets.UTF_8));
      entry(zip, "static.txt", ("plain v" + version).getBytes(StandardCharsets.UTF_8));
    }
    return Files.write(files.resolve("app-v" + version + ".war"), buf.toByteArray());
  }

  private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content);
    zip.closeEntry();
  }

  /** A plain (ustar) tar of regular files: fine as PHP code, not as a war. */
  private static byte[] tar(String... nameThenContent) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < nameThenContent.length; i += 2) {
      byte[] data = nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8);
      byte[] h = new byte[512];
      put(h, 0, nameThenContent[i]);
      put(h, 100, "0000644");
      put(h, 108, "0000000");
      put(h, 116, "0000000");
      put(h, 124, String.format("%011o", data.length));
      put(h, 136, String.format("%011o", 1_700_000_000L));
      h[156] = '0';
      put(h, 257, "ustar");
      put(h, 263, "00");
      Arrays.fill(h, 148, 156, (byte) ' ');
      long sum = 0;
      for (byte b : h) {
        sum += b & 0xff;
      }
      put(h, 148, String.format("%06o", sum));
      h[154] = 0;
      out.writeBytes(h);
      out.writeBytes(data);
      out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static void put(byte[] header, int offset, String s) {
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, header, offset, b.length);
  }

}
