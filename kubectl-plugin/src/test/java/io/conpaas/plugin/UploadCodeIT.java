package io.conpaas.plugin;

import static io.conpaas.plugin.TestObjects.SETUP_MANAGER;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * upload-code against the real API server, with the test playing the operator (FakeUploadOperator):
 * the CodeUpload carries only the token's hash, the file arrives byte for byte with the token, the
 * request is deleted afterwards, refusals are one line, and --activate patches one field.
 */
class UploadCodeIT {
  static KubernetesClient client;
  static String ns;
  static FakeUploadOperator operator;

  @TempDir
  Path dir;

  @BeforeAll
  static void namespaceAndOperator() throws IOException {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-upload");
    operator = new FakeUploadOperator(client, ns, InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void cleanUp() {
    operator.close();
    TestObjects.cleanUp(client, ns);
  }

  @BeforeEach
  void answerReady() {
    operator.reset();
  }

  @Test
  void streamsTheFileWithTheTokenWhoseHashTheRequestCarriesThenDeletesTheRequest() throws IOException {
    TestObjects.webService(client, ns, "PhpService", "web", "v2");
    TestObjects.codeStatus(client, ns, "PhpService", "web", "v2", null,
        TestObjects.version("v1", 10, "2026-01-01T00:00:00Z", "upload"),
        TestObjects.version("v2", 20, "2026-01-02T00:00:00Z", "upload"));
    byte[] bytes = randomBytes(300_000);
    Path file = Files.write(dir.resolve("app.zip"), bytes);

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "web", file.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(operator.received).hasSize(1);
    FakeUploadOperator.Received put = operator.received.get(0);
    assertThat(r.out()).isEqualTo("phpservice/web: uploaded version v3 (300000 bytes, sha256 "
        + sha256(bytes).substring(0, 12) + "...)\n");
    assertThat(r.err()).isEmpty();
    assertThat(put.body()).isEqualTo(bytes);
    assertThat(put.contentLength()).isEqualTo("300000");
    assertThat(put.tokenAccepted()).isTrue();
    assertThat(put.authorization()).isEqualTo("Bearer " + put.tokenHeader()).matches("Bearer [0-9a-f]{64}");
    CodeUpload request = put.request();
    assertThat(request.getSpec().getServiceKind().name()).isEqualTo("PhpService");
    assertThat(request.getSpec().getService()).isEqualTo("web");
    assertThat(request.getSpec().getVersion()).isEqualTo("v3");
    assertThat(request.getSpec().getTokenSha256()).matches("[0-9a-f]{64}").isNotEqualTo(put.tokenHeader());
    assertThat(request.getMetadata().getGenerateName()).isEqualTo("web-v3-");
    assertThat(request.getMetadata().getLabels()).containsEntry("conpaas.io/service", "web");
    assertThat(uploadsLeft()).isZero();
    GenericKubernetesResource after = TestObjects.web(client, ns, "PhpService", "web").get();
    assertThat((Object) after.get("spec", "code", "activeVersion")).isEqualTo("v2");
    assertThat(TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "")).isEmpty();
  }

  @Test
  void withActivateTheNewVersionIsActivatedThroughAPatchOfThatFieldOnly() throws IOException {
    GenericKubernetesResource before = TestObjects.webService(client, ns, "PhpService", "shop", "v1");
    Path file = Files.write(dir.resolve("shop.tar.gz"), randomBytes(5_000));

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "php/shop", file.toString(), "--version", "release-7",
        "--activate");

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("phpservice/shop: uploaded version release-7 (5000 bytes, sha256 ")
        .endsWith("...)\nphpservice/shop: activating release-7\n");
    assertThat(operator.requests).singleElement().satisfies(u -> {
      assertThat(u.getSpec().getVersion()).isEqualTo("release-7");
      assertThat(u.getMetadata().getGenerateName()).isEqualTo("shop-release-7-");
    });
    GenericKubernetesResource after = TestObjects.web(client, ns, "PhpService", "shop").get();
    assertThat((Object) after.get("spec", "code", "activeVersion")).isEqualTo("release-7");
    assertThat((Object) after.get("spec", "code", "source")).isEqualTo(before.get("spec", "code", "source"));
    assertThat((Object) after.get("spec", "backend")).isEqualTo(before.get("spec", "backend"));
    assertThat((Object) after.get("spec", "debug")).isEqualTo(false);
    assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
    ManagedFieldsEntry patch = TestObjects.managedBy(after, ServicePatcher.FIELD_MANAGER, "").orElseThrow();
    assertThat(patch.getOperation()).isEqualTo("Update");
    assertThat(TestObjects.fields(patch))
        .isEqualTo(Map.of("f:spec", Map.of("f:code", Map.of("f:activeVersion", Map.of()))));
    @SuppressWarnings("unchecked")
    Map<String, Object> setupSpec = (Map<String, Object>) TestObjects.fields(
        TestObjects.managedBy(after, SETUP_MANAGER, "").orElseThrow()).get("f:spec");
    assertThat(setupSpec).containsKeys("f:application", "f:backend", "f:web", "f:proxy", "f:debug", "f:code");
    assertThat(setupSpec.get("f:code")).isEqualTo(Map.of("f:source", Map.of("f:url", Map.of(), "f:sha256", Map.of())));
    assertThat(uploadsLeft()).isZero();
  }

  @Test
  void theOperatorsRefusalIsOneLineAndNothingIsActivated() throws IOException {
    TestObjects.webService(client, ns, "PhpService", "refused", "v1");
    Path file = Files.write(dir.resolve("notes.txt"), randomBytes(2_000));
    operator.refuse(422, "not a zip, tar or tar.gz archive");

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "refused", file.toString(), "--activate");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.errLines()).containsExactly("error: upload-code: not a zip, tar or tar.gz archive");
    assertThat(operator.received).singleElement().satisfies(p -> assertThat(p.body()).hasSize(2_000));
    assertThat(uploadsLeft()).isZero();
    assertThat((Object) TestObjects.web(client, ns, "PhpService", "refused").get().get("spec", "code",
        "activeVersion")).isEqualTo("v1");
  }

  @Test
  void aFailedRequestIsOneLineWithTheOperatorsMessageAndNothingIsSent() throws IOException {
    TestObjects.webService(client, ns, "JavaService", "failing", null);
    Path file = Files.write(dir.resolve("app.war"), randomBytes(100));
    operator.answer(FakeUploadOperator.Answer.FAILED, "uploads are disabled for this namespace");

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "failing", file.toString(), "--activate");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("error: upload-code: uploads are disabled for this namespace");
    assertThat(operator.requests).singleElement()
        .satisfies(u -> assertThat(u.getSpec().getServiceKind().name()).isEqualTo("JavaService"));
    assertThat(operator.received).isEmpty();
    assertThat(uploadsLeft()).isZero();
    assertThat((Object) TestObjects.web(client, ns, "JavaService", "failing").get().get("spec", "code",
        "activeVersion")).isNull();
  }

  @Test
  void withoutAnAnswerItTimesOutNamingTheRequestAndDeletesIt() throws IOException {
    TestObjects.webService(client, ns, "PhpService", "silent", null);
    Path file = Files.write(dir.resolve("app.zip"), randomBytes(100));
    operator.answer(FakeUploadOperator.Answer.SILENT, null);

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "silent", file.toString(), "--timeout", "2s");

    assertThat(r.exitCode()).isEqualTo(1);
    String name = operator.requests.get(0).getMetadata().getName();
    assertThat(name).startsWith("silent-v1-");
    assertThat(r.errLines()).containsExactly("error: timed out after 2s waiting for codeupload/" + name
        + ": the operator did not answer (is it running and watching namespace '" + ns + "'?)");
    assertThat(uploadsLeft()).isZero();
  }

  @Test
  void anAnswerThatDoesNotMatchTheFileIsAnError() throws IOException {
    TestObjects.webService(client, ns, "PhpService", "garbled", null);
    Path file = Files.write(dir.resolve("app.zip"), randomBytes(1_000));
    operator.misreportDigest();

    Plugin.Result r = Plugin.run("-n", ns, "upload-code", "garbled", file.toString(), "--activate");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).singleElement().asString()
        .startsWith("error: upload-code: the operator stored 1000 bytes with sha256 " + "00".repeat(32))
        .endsWith("has 1000 bytes with sha256 " + sha256(Files.readAllBytes(file)));
    assertThat(uploadsLeft()).isZero();
    assertThat((Object) TestObjects.web(client, ns, "PhpService", "garbled").get().get("spec", "code",
        "activeVersion")).isNull();
  }

  @Test
  void onlyPhpAndJavaServicesTakeCodeAndBadInputCreatesNoRequest() throws IOException {
    TestObjects.helloWorld(client, ns, "hw", 1);
    TestObjects.webService(client, ns, "PhpService", "taken", null);
    TestObjects.codeStatus(client, ns, "PhpService", "taken", "v1", null,
        TestObjects.version("v1", 10, "2026-01-01T00:00:00Z", "upload"));
    Path file = Files.write(dir.resolve("app.zip"), randomBytes(10));

    Plugin.Result hello = Plugin.run("-n", ns, "upload-code", "hw", file.toString());
    assertThat(hello.exitCode()).isEqualTo(1);
    assertThat(hello.errLines()).containsExactly(
        "error: HelloWorldService has no code versions (upload-code works with PhpService, JavaService)");

    Plugin.Result exists = Plugin.run("-n", ns, "upload-code", "taken", file.toString(), "--version", "v1");
    assertThat(exists.exitCode()).isEqualTo(1);
    assertThat(exists.errLines()).containsExactly(
        "error: version v1 of phpservice/taken exists already; its versions: v1 (choose another --version)");

    Plugin.Result missing = Plugin.run("-n", ns, "upload-code", "taken", dir.resolve("nope.zip").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.errLines()).containsExactly(
        "error: cannot read " + dir.resolve("nope.zip") + " (upload-code needs an archive file)");

    Plugin.Result bad = Plugin.run("-n", ns, "upload-code", "taken", file.toString(), "--version", "../v2");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.errLines()).singleElement().asString().startsWith("error: version '../v2' is not valid");

    assertThat(operator.requests).isEmpty();
    assertThat(uploadsLeft()).isZero();
  }

  private static int uploadsLeft() {
    return client.resources(CodeUpload.class).inNamespace(ns).list().getItems().size();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
