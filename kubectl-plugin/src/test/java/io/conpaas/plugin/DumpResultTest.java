package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How upload-dump reads the operator's answer to a dump: the count, the failing line, what was applied. */
class DumpResultTest {
  @Test
  void successCountsTheStatementsWhenTheOperatorDoes() {
    assertThat(result(200, "{\"statements\": 42}")).isEqualTo(new DumpResult(true, 42L, null, null));
    assertThat(result(200, "{\"statements\": 42}").count()).isEqualTo(" (42 statements)");
    assertThat(result(200, "{\"statements\": 1}").count()).isEqualTo(" (1 statement)");
    assertThat(result(200, "").count()).isEmpty();
    assertThat(result(201, "not json").ok()).isTrue();
  }

  @Test
  void aLineErrorSaysWhetherTheStatementsBeforeItWereApplied() {
    assertThat(result(422, "{\"error\": \"line 7: Table 'shop.items' doesn't exist\", \"line\": 7, \"applied\": true}"))
        .isEqualTo(new DumpResult(false, null, "line 7: Table 'shop.items' doesn't exist",
            "statements before line 7 were applied"));
    assertThat(result(422, "{\"error\": \"line 3: syntax error\", \"line\": 3, \"applied\": false}"))
        .isEqualTo(new DumpResult(false, null, "line 3: syntax error", "nothing was applied"));
    assertThat(result(422, "{\"error\": \"syntax error\", \"line\": 3, \"applied\": false}").error())
        .isEqualTo("line 3: syntax error");
    assertThat(result(422, "{\"error\": \"line 1: bad\", \"line\": 1, \"applied\": true}").extent())
        .isEqualTo("some statements were applied");
  }

  @Test
  void tooLargeAppliedNothingAndThatIsSaidOnce() {
    assertThat(result(413, "{\"error\": \"the dump has 9000 bytes, more than the limit of 100; nothing was applied\"}"))
        .isEqualTo(new DumpResult(false, null, "the dump has 9000 bytes, more than the limit of 100",
            "nothing was applied"));
    assertThat(result(413, "<html>Request Entity Too Large</html>"))
        .isEqualTo(new DumpResult(false, null, "the upload URL answered HTTP 413: <html>Request Entity Too Large</html>",
            "nothing was applied"));
    assertThat(result(409, "{\"error\": \"MysqlService db has no running master; nothing was applied\"}"))
        .isEqualTo(new DumpResult(false, null, "MysqlService db has no running master", "nothing was applied"));
  }

  @Test
  void otherErrorsSayOnlyWhatTheOperatorKnows() {
    assertThat(result(502, "{\"error\": \"cannot reach the master: timed out (some statements may have been applied)\"}"))
        .isEqualTo(new DumpResult(false, null,
            "cannot reach the master: timed out (some statements may have been applied)", null));
    assertThat(result(403, "{\"error\": \"invalid upload token\"}").extent()).isNull();
  }

  private static DumpResult result(int code, String body) {
    Map<?, ?> json;
    try {
      json = body.isBlank() ? null : Serialization.unmarshal(body, Map.class);
    } catch (RuntimeException e) {
      json = null;
    }
    return DumpResult.of(new ArchiveUpload.Answer(code, json, body, "00", 0));
  }
}
