package io.conpaas.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.CodeStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Reads of a service's code and debug fields, as the operator and users write them. */
class ServiceObjectTest {
  static final ServiceKind PHP = ServiceKinds.standard().require("php");

  @Test
  void readsStatusCodeAndIgnoresFieldsANewerOperatorAdds() {
    ServiceObject s = service("""
        apiVersion: conpaas.io/v1alpha1
        kind: PhpService
        metadata: {name: web, namespace: ns1}
        spec: {application: demo, debug: true, code: {activeVersion: v2}}
        status:
          code:
            active: v1
            message: activating v2
            checkedAt: "2026-11-01T10:00:00Z"
            versions:
            - {version: v1, sha256: ab, bytes: 12, format: zip, uploaded: "2026-11-01T10:00:00Z", origin: upload,
               agents: 3}
        """);

    CodeStatus code = s.code();

    assertThat(code.getActive()).isEqualTo("v1");
    assertThat(code.getMessage()).isEqualTo("activating v2");
    assertThat(code.getVersions()).singleElement().satisfies(v -> {
      assertThat(v.getVersion()).isEqualTo("v1");
      assertThat(v.getBytes()).isEqualTo(12L);
    });
    assertThat(s.requestedVersion()).isEqualTo("v2");
    assertThat(s.debug()).isTrue();
  }

  @Test
  void aServiceWithoutStatusHasNoVersionsAndDebugOff() {
    ServiceObject s = service("""
        apiVersion: conpaas.io/v1alpha1
        kind: PhpService
        metadata: {name: web, namespace: ns1}
        spec: {application: demo}
        """);

    assertThat(s.code().getVersions()).isEmpty();
    assertThat(s.code().getActive()).isNull();
    assertThat(s.requestedVersion()).isNull();
    assertThat(s.debug()).isFalse();
  }

  @Test
  void aMysqlServicesPasswordSecretIsTheReportedOneElseTheSpecsElseTheDefault() {
    ServiceKind mysql = ServiceKinds.standard().require("mysql");
    ServiceObject reported = new ServiceObject(mysql, Serialization.unmarshal("""
        apiVersion: conpaas.io/v1alpha1
        kind: MysqlService
        metadata: {name: db, namespace: ns1}
        spec: {application: demo, passwordSecretRef: {name: from-spec}}
        status: {mysql: {passwordSecret: from-status, user: admin2}}
        """, GenericKubernetesResource.class));
    ServiceObject specified = new ServiceObject(mysql, Serialization.unmarshal("""
        apiVersion: conpaas.io/v1alpha1
        kind: MysqlService
        metadata: {name: db, namespace: ns1}
        spec: {application: demo, passwordSecretRef: {name: from-spec}}
        """, GenericKubernetesResource.class));
    ServiceObject plain = new ServiceObject(mysql, Serialization.unmarshal("""
        apiVersion: conpaas.io/v1alpha1
        kind: MysqlService
        metadata: {name: db, namespace: ns1}
        spec: {application: demo}
        """, GenericKubernetesResource.class));

    assertThat(reported.passwordSecret()).isEqualTo("from-status");
    assertThat(reported.databaseUser()).isEqualTo("admin2");
    assertThat(specified.passwordSecret()).isEqualTo("from-spec");
    assertThat(plain.passwordSecret()).isEqualTo("db-mysql");
    assertThat(plain.databaseUser()).isEqualTo("mysqladb");
  }

  private static ServiceObject service(String yaml) {
    return new ServiceObject(PHP, Serialization.unmarshal(yaml, GenericKubernetesResource.class));
  }
}
