package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.testing.DevCluster;
import io.conpaas.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * upload-dump against the real API server, with the test playing the operator (FakeUploadOperator):
 * a version-less CodeUpload for the MysqlService, the dump streamed with the token, and the
 * operator's answer: the statement count, the failing line and how much was applied, or the size cap.
 */
class UploadDumpIT {
  static final String DUMP = "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40));\n"
      + "INSERT INTO items VALUES (1, 'a; b');\n";

  static KubernetesClient client;
  static String ns;
  static FakeUploadOperator operator;

  @TempDir
  Path dir;

  @BeforeAll
  static void namespaceServiceAndOperator() throws IOException {
    client = DevCluster.client();
    ns = TestNamespace.create(client, "plugin-dump");
    TestObjects.mysql(client, ns, "db", 1, null);
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
  void streamsTheDumpThroughAVersionlessRequestAndPrintsTheStatementCount() throws IOException {
    Path file = Files.writeString(dir.resolve("shop.sql"), DUMP);

    Plugin.Result r = Plugin.run("-n", ns, "upload-dump", "db", file.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo("mysqlservice/db: dump applied (3 statements)\n");
    assertThat(r.err()).isEmpty();
    FakeUploadOperator.Received put = operator.received.get(0);
    assertThat(operator.received).hasSize(1);
    assertThat(new String(put.body(), StandardCharsets.UTF_8)).isEqualTo(DUMP);
    assertThat(put.contentLength()).isEqualTo(Long.toString(Files.size(file)));
    assertThat(put.tokenAccepted()).isTrue();
    CodeUpload request = put.request();
    assertThat(request.getSpec().getServiceKind().name()).isEqualTo("MysqlService");
    assertThat(request.getSpec().getService()).isEqualTo("db");
    assertThat(request.getSpec().getVersion()).isNull();
    assertThat(request.getSpec().getTokenSha256()).matches("[0-9a-f]{64}").isNotEqualTo(put.tokenHeader());
    assertThat(request.getMetadata().getGenerateName()).isEqualTo("db-dump-");
    assertThat(request.getMetadata().getLabels()).containsEntry("conpaas.io/service", "db");
    assertThat(uploadsLeft()).isZero();

    operator.answerDumps(200, Map.of());
    Plugin.Result uncounted = Plugin.run("-n", ns, "load_dump", "mysql/db", file.toString());
    assertThat(uncounted.out()).isEqualTo("mysqlservice/db: dump applied\n");
  }

  @Test
  void aFailingLineIsReportedWithWhatWasAppliedBeforeIt() throws IOException {
    Path file = Files.writeString(dir.resolve("broken.sql"), DUMP);
    operator.answerDumps(422, Map.of("error", "line 7: Table 'shop.items' doesn't exist", "line", 7,
        "applied", true));

    Plugin.Result applied = Plugin.run("-n", ns, "upload-dump", "db", file.toString());

    assertThat(applied.exitCode()).isEqualTo(1);
    assertThat(applied.out()).isEmpty();
    assertThat(applied.errLines()).containsExactly(
        "error: upload-dump: line 7: Table 'shop.items' doesn't exist",
        "statements before line 7 were applied");
    assertThat(uploadsLeft()).isZero();

    operator.answerDumps(422, Map.of("error", "line 1: You have an error in your SQL syntax", "line", 1,
        "applied", false));
    Plugin.Result nothing = Plugin.run("-n", ns, "upload-dump", "db", file.toString());
    assertThat(nothing.exitCode()).isEqualTo(1);
    assertThat(nothing.errLines()).containsExactly(
        "error: upload-dump: line 1: You have an error in your SQL syntax", "nothing was applied");
  }

  @Test
  void aDumpOverTheSizeCapAppliedNothing() throws IOException {
    Path file = Files.writeString(dir.resolve("big.sql"), DUMP);
    operator.answerDumps(413, Map.of("error", "the dump has " + Files.size(file)
        + " bytes, more than the limit of 64; nothing was applied"));

    Plugin.Result r = Plugin.run("-n", ns, "upload-dump", "db", file.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.errLines()).containsExactly("error: upload-dump: the dump has " + Files.size(file)
        + " bytes, more than the limit of 64", "nothing was applied");
    assertThat(uploadsLeft()).isZero();
  }

  @Test
  void aRefusedRequestOrABadFileIsOneLineAndNothingIsSent() throws IOException {
    Path file = Files.writeString(dir.resolve("ok.sql"), DUMP);
    operator.answer(FakeUploadOperator.Answer.FAILED, "MysqlService db has no running master");

    Plugin.Result failed = Plugin.run("-n", ns, "upload-dump", "db", file.toString());
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.errLines()).containsExactly("error: upload-dump: MysqlService db has no running master");

    Plugin.Result missing = Plugin.run("-n", ns, "upload-dump", "db", dir.resolve("nope.sql").toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.errLines()).containsExactly(
        "error: cannot read " + dir.resolve("nope.sql") + " (upload-dump needs an SQL dump file)");

    operator.answer(FakeUploadOperator.Answer.SILENT, null);
    Plugin.Result silent = Plugin.run("-n", ns, "upload-dump", "db", file.toString(), "--timeout", "1s");
    assertThat(silent.exitCode()).isEqualTo(1);
    assertThat(silent.errLines()).singleElement().asString().startsWith("error: timed out after 1s waiting for "
        + "codeupload/db-dump-");

    assertThat(operator.received).isEmpty();
    assertThat(uploadsLeft()).isZero();
  }

  private static int uploadsLeft() {
    return client.resources(CodeUpload.class).inNamespace(ns).list().getItems().size();
  }
}
