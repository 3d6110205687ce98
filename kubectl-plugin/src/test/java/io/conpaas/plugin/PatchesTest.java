package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The merge patches name only the fields they change. */
class PatchesTest {
  @Test
  void patchesNameOnlyTheFieldTheyChange() {
    assertThat(Patches.stopped(true)).isEqualTo("{\"spec\":{\"stopped\":true}}");
    assertThat(Patches.stopped(false)).isEqualTo("{\"spec\":{\"stopped\":false}}");
    assertThat(Patches.roleField("proxy", "cloud", "edge", null)).isEqualTo("{\"spec\":{\"proxy\":{\"cloud\":\"edge\"}}}");
  }

  @Test
  void codeAndDebugPatchesNameOnlyTheirField() {
    assertThat(Patches.activeVersion("v2")).isEqualTo("{\"spec\":{\"code\":{\"activeVersion\":\"v2\"}}}");
    assertThat(Patches.debug(true, null)).isEqualTo("{\"spec\":{\"debug\":true}}");
    assertThat(Patches.debug(false, "9"))
        .isEqualTo("{\"metadata\":{\"resourceVersion\":\"9\"},\"spec\":{\"debug\":false}}");
  }

  @Test
  void relativeChangesCarryAResourceVersionPrecondition() {
    assertThat(Patches.roleField("proxy", "nodes", 3, "42"))
        .isEqualTo("{\"metadata\":{\"resourceVersion\":\"42\"},\"spec\":{\"proxy\":{\"nodes\":3}}}");
    assertThat(Patches.replicas(5, "7"))
        .isEqualTo("{\"metadata\":{\"resourceVersion\":\"7\"},\"spec\":{\"replicas\":5}}");
  }

  @Test
  void aPasswordResetPatchesOneKeyOfTheSecretAndItsServiceLabel() {
    assertThat(Patches.secretKey("conpaas.io/mysql-service", "db", "password", "czNjcmV0LXBhc3M="))
        .isEqualTo("{\"metadata\":{\"labels\":{\"conpaas.io/mysql-service\":\"db\"}},"
            + "\"data\":{\"password\":\"czNjcmV0LXBhc3M=\"}}");
    assertThat(PasswordSecrets.redact("bad value czNjcmV0LXBhc3M= for s3cret-pass", "s3cret-pass",
        "czNjcmV0LXBhc3M=")).isEqualTo("bad value *** for ***");
  }
}
