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

  private static ServiceSpec newSpec(RegisteredKind k) {
    try {
      return (ServiceSpec) k.resource().getMethod("getSpec").getReturnType().getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
