package io.conpaas.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The kind registry agrees with the resource classes and their generated schemas. */
class KindRegistryTest {
  @Test
  void everyRegisteredKindsRolesAreItsSpecsRolesScaleRoleFirst() {
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      ServiceSpec spec = newSpec(k);
      assertThat(k.roles()).as(k.kind() + " roles").containsExactlyInAnyOrderElementsOf(spec.roles().keySet());
    }
  }

  @Test
  void codeUploadsNameExactlyTheKindsThatTakeUploads() {
    Set<String> enumKinds = Arrays.stream(CodeUploadSpec.ServiceKind.values()).map(Enum::name)
        .collect(Collectors.toSet());
    Set<String> registered = KindRegistry.SERVICE_KINDS.stream().filter(RegisteredKind::takesUploads)
        .map(RegisteredKind::kind).collect(Collectors.toSet());
    assertThat(enumKinds).isEqualTo(registered);
  }

  @Test
  void typeNamesAndPluralsAreUnique() {
    assertThat(KindRegistry.SERVICE_KINDS.stream().map(RegisteredKind::type)).doesNotHaveDuplicates();
    assertThat(KindRegistry.SERVICE_KINDS.stream().map(RegisteredKind::plural)).doesNotHaveDuplicates();
  }

  /** Kind-specific status blocks appear only in the schema of the kinds that have them. */
  @Test
  void noKindsSchemaShowsAnotherKindsStatusBlock() throws IOException {
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      String crd = Files.readString(Path.of("target/crds", k.plural() + "." + ApiConstants.GROUP + "-v1.yml"));
      String status = crd.substring(crd.indexOf("\n          status:"));
      assertThat(status.contains("\n              mysql:")).as(k.kind() + " status.mysql")
          .isEqualTo(k.uploads().contains(RegisteredKind.Upload.DUMP));
      assertThat(status.contains("\n              code:")).as(k.kind() + " status.code")
          .isEqualTo(k.uploads().contains(RegisteredKind.Upload.CODE));
    }
  }

  /** Every kind reads back as its own class with its own status class (as the operator's caches and clones do). */
  @Test
  void everyKindDeserializesAsItselfWithItsStatusClass() throws Exception {
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      String json = "{\"apiVersion\":\"conpaas.io/v1alpha1\",\"kind\":\"" + k.kind() + "\",\"metadata\":{\"name\":\"x\"},"
          + "\"spec\":{\"application\":\"a\"},\"status\":{\"state\":\"RUNNING\"}}";
      ServiceResource<?> read = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json, k.resource());
      assertThat(read).isInstanceOf(k.resource());
      assertThat(read.getStatus().getState()).isEqualTo(ServiceState.RUNNING);
      assertThat(read.getStatus().getClass()).isEqualTo(k.resource().getMethod("getStatus").getReturnType());
      String back = io.fabric8.kubernetes.client.utils.Serialization.asJson(read);
      assertThat(back).contains("\"kind\":\"" + k.kind() + "\"");
    }
  }

  private static ServiceSpec newSpec(RegisteredKind k) {
    try {
      return (ServiceSpec) k.resource().getMethod("getSpec").getReturnType().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
