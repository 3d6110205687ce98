package io.conpaas.reconcilers.service;

import static io.conpaas.reconcilers.service.KindPlans.context;
import static io.conpaas.reconcilers.service.KindPlans.named;
import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.api.MysqlRoleKeys;
import io.conpaas.agent.api.WebRoleKeys;
import io.conpaas.agent.code.CodeVersion;
import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.CodeSource;
import io.conpaas.api.v1alpha1.CodeSpec;
import io.conpaas.api.v1alpha1.LocalObjectRef;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.PhpServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.ServiceStatus;
import io.conpaas.api.v1alpha1.WebServiceSpec;
import io.conpaas.api.v1alpha1.WebServiceStatus;
import io.conpaas.reconcilers.code.FetchState;
import io.conpaas.reconcilers.code.StoredVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * WebKind's plan from hand-built contexts: no API server, and no code store or fetcher (they
 * are null: only the observe step may touch them).
 */
class WebKindPlanTest {
  private final WebKind<PhpService> kind = new WebKind<>("PhpService", null, null, true, s -> s.getSpec().getDebug(),
      s -> s.getSpec().getDatabase() == null ? null : s.getSpec().getDatabase().getName(), null);

  private static PhpService php(String activeVersion, String database) {
    PhpService s = named(new PhpService(), "site");
    PhpServiceSpec spec = new PhpServiceSpec();
    spec.setApplication("app");
    spec.setBackend(new ScaleRoleSpec(2));
    spec.setWeb(new RoleSpec(1));
    spec.setProxy(new RoleSpec(1));
    if (activeVersion != null) {
      CodeSpec code = new CodeSpec();
      code.setActiveVersion(activeVersion);
      spec.setCode(code);
    }
    if (database != null) {
      spec.setDatabase(new LocalObjectRef(database));
    }
    s.setSpec(spec);
    return s;
  }

  private static StoredVersion stored(String name) {
    return new StoredVersion(new CodeVersion(name, "zip", "ab".repeat(32), 10, 1, "2026-12-01T00:00:00Z"), "upload");
  }

  private static Observation code(String... versions) {
    return Observation.NONE.withCode(java.util.Arrays.stream(versions).map(WebKindPlanTest::stored).toList(),
        Optional.empty());
  }

  @Test
  void desiredAgentsCarryTheStoredVersionsTheActiveOneAndTheDatabase() {
    Observation seen = code("v1", "v2").withDatabase(Optional.of(
        new Databases.Database("10.0.0.5", "3306", "mysqladb", "db-mysql", "42")));
    ServiceContext<PhpService> pass = context(php("v2", "db"), List.of(), seen);

    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass));

    assertThat(plan.problems()).isEmpty();
    assertThat(plan.desired()).extracting(a -> a.getSpec().getRole())
        .containsExactlyInAnyOrder("backend", "backend", "web", "proxy");
    Agent backend = plan.desired().stream().filter(a -> a.getSpec().getRole().equals("backend")).findFirst()
        .orElseThrow();
    assertThat(backend.getSpec().getCloud()).isEqualTo("local");
    assertThat(backend.getSpec().getCodeVersions()).containsExactly("v1", "v2");
    assertThat(backend.getSpec().getConfig()).containsEntry(WebRoleKeys.ACTIVE_VERSION, "v2")
        .containsEntry(WebRoleKeys.DB_HOST, "10.0.0.5").containsEntry(WebRoleKeys.DB_USER, "mysqladb")
        .containsEntry(MysqlRoleKeys.CREDENTIALS_VERSION, "42");
    assertThat(backend.getSpec().getCredentialsSecret()).isEqualTo("db-mysql");
    Agent proxy = plan.desired().stream().filter(a -> a.getSpec().getRole().equals("proxy")).findFirst().orElseThrow();
    assertThat(proxy.getSpec().getCredentialsSecret()).isNull();
  }

  @Test
  void anActiveVersionNotStoredBlocksTheServiceAndSaysWhichVersionsExist() {
    ServiceContext<PhpService> pass = context(php("v9", null), List.of(), code("v1"));

    KindPlan plan = kind.plan(pass);

    assertThat(plan.problems()).containsExactly("code.activeVersion v9 has not been uploaded (versions: v1)");
    // Not served: the config names no version the agents do not have.
    assertThat(plan.roleConfig().get(WebServiceSpec.ROLE_BACKEND)).doesNotContainKey(WebRoleKeys.ACTIVE_VERSION);
    WebServiceStatus status = (WebServiceStatus) plan.status().apply(new ServiceStatus());
    assertThat(status.getCode().getVersions()).extracting(v -> v.getVersion()).containsExactly("v1");
    assertThat(status.getCode().getMessage()).contains("v9 has not been uploaded");
  }

  @Test
  void theFetchStateObservedDecidesProblemsAndTheServedVersion() {
    PhpService s = php(null, null);
    CodeSource source = new CodeSource();
    source.setUrl("https://example.org/site.zip");
    CodeSpec code = new CodeSpec();
    code.setSource(source);
    s.getSpec().setCode(code);

    KindPlan failed = kind.plan(context(s, List.of(),
        Observation.NONE.withCode(List.of(), Optional.of(new FetchState.Failed("HTTP 404")))));
    assertThat(failed.problems()).containsExactly("code.source: HTTP 404");

    KindPlan fetching = kind.plan(context(s, List.of(),
        Observation.NONE.withCode(List.of(), Optional.of(new FetchState.Fetching("fetching since now")))));
    assertThat(fetching.problems()).isEmpty();
    assertThat(((WebServiceStatus) fetching.status().apply(new ServiceStatus())).getCode().getMessage())
        .isEqualTo("fetching since now");

    KindPlan stored = kind.plan(context(s, List.of(),
        Observation.NONE.withCode(List.of(stored("src-1")), Optional.of(new FetchState.Stored("src-1")))));
    assertThat(stored.problems()).isEmpty();
    assertThat(stored.roleConfig().get(WebServiceSpec.ROLE_BACKEND)).containsEntry(WebRoleKeys.ACTIVE_VERSION, "src-1");
  }

  @Test
  void withoutAnApplicationOrCloudThePlanIsBlockedAndWantsNoCloud() {
    PhpService s = php(null, null);
    s.getMetadata().setNamespace(KindPlans.NS);
    ServiceContext<PhpService> pass = ServiceContext.of(s, List.of(), List.of(), Optional.empty());

    ServicePlan plan = ServicePlan.of(pass, kind.plan(pass));

    assertThat(plan.problems()).anyMatch(p -> p.startsWith("Application app not found"));
  }
}
