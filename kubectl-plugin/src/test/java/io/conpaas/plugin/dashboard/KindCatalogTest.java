package io.conpaas.plugin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.RegisteredKind;
import io.conpaas.plugin.ServiceKinds;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of the registry is in the document the pages render from, with its roles and its spec's schema. */
class KindCatalogTest {
  @Test
  void everyRegisteredKindHasItsRolesAndASchemaWithEachRolesNodes() {
    List<Map<String, Object>> kinds = new KindCatalog(ServiceKinds.standard()).describe();
    assertThat(kinds).extracting(m -> m.get("kind"))
        .containsExactlyElementsOf(KindRegistry.SERVICE_KINDS.stream().map(RegisteredKind::kind).toList());
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      Map<String, Object> m = kinds.stream().filter(x -> k.kind().equals(x.get("kind"))).findFirst().orElseThrow();
      assertThat(m.get("roles")).isEqualTo(k.roles());
      assertThat(m.get("scaleRole")).isEqualTo(k.scaleRole());
      assertThat(m.get("plural")).isEqualTo(k.plural());
      JSONSchemaProps spec = (JSONSchemaProps) m.get("specSchema");
      assertThat(spec).as(k.kind() + " spec schema (CRD copy in the jar)").isNotNull();
      assertThat(spec.getRequired()).as(k.kind()).contains("application");
      for (String role : k.roles()) {
        assertThat(spec.getProperties()).as(k.kind()).containsKey(role);
        assertThat(spec.getProperties().get(role).getProperties()).as(k.kind() + "." + role).containsKey("nodes");
      }
    }
  }

  @Test
  void kindFeaturesComeFromTheRegistryUploads() {
    Map<String, Object> php = new KindCatalog(ServiceKinds.standard()).describe().stream()
        .filter(m -> "PhpService".equals(m.get("kind"))).findFirst().orElseThrow();
    assertThat(((List<?>) php.get("features")).contains("CODE")).isTrue();
    Map<String, Object> mysql = new KindCatalog(ServiceKinds.standard()).describe().stream()
        .filter(m -> "MysqlService".equals(m.get("kind"))).findFirst().orElseThrow();
    assertThat(mysql.get("features")).isEqualTo(List.of("DATABASE"));
    assertThat(((Map<?, ?>) mysql.get("fixedRoles")).keySet()).isEqualTo(java.util.Set.of("master"));
  }
}
