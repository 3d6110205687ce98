package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.agent.RoleRegistry;
import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.KindRegistry;
import io.conpaas.api.v1alpha1.RegisteredKind;
import io.conpaas.operator.testing.Helm;
import io.conpaas.testing.DevCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Everything that must know the service kinds covers every kind of {@link KindRegistry}: the
 * chart's ClusterRole (rendered with helm), the code-upload policy, the agent's roles and the
 * operator's controllers. Adding a kind to the registry without them fails here.
 */
class KindCoverageTest {
  private static final String RELEASE = "conpaas";
  private static List<PolicyRule> rules;

  @BeforeAll
  static void renderTheChartsClusterRole() {
    String rendered = Helm.template(RELEASE, "conpaas-system", "--show-only", "templates/clusterrole.yaml");
    ClusterRole role = Arrays.stream(rendered.split("(?m)^---\\s*$")).filter(d -> d.contains("kind: ClusterRole\n"))
        .map(d -> (HasMetadata) Serialization.unmarshal(d)).filter(ClusterRole.class::isInstance)
        .map(ClusterRole.class::cast).findFirst().orElseThrow();
    rules = role.getRules();
  }

  @Test
  void theChartsClusterRoleGrantsEveryRegisteredKind() {
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      String p = k.plural();
      assertThat(granted(p, "get") && granted(p, "list") && granted(p, "watch"))
          .as("clusterrole.yaml lets the operator get, list and watch " + p).isTrue();
      assertThat(granted(p + "/status", "patch")).as("clusterrole.yaml lets the operator patch " + p + "/status")
          .isTrue();
      assertThat(granted(p, "patch") && granted(p, "update"))
          .as("clusterrole.yaml lets the operator patch " + p + " (finalizers)").isTrue();
    }
  }

  @Test
  void theChartsClusterRoleLetsTheOperatorCheckEveryCrd() {
    for (Class<? extends HasMetadata> r : KindRegistry.allResources()) {
      String crd = HasMetadata.getPlural(r) + "." + ApiConstants.GROUP;
      assertThat(rules.stream().anyMatch(rule -> rule.getResources().contains("customresourcedefinitions")
          && rule.getResourceNames().contains(crd) && rule.getVerbs().contains("get")))
          .as("clusterrole.yaml lets the operator get CRD " + crd + " (requireCrds)").isTrue();
    }
  }

  @Test
  void theUploadPolicyMapsExactlyTheKindsThatTakeUploadsToTheirResources() throws IOException {
    String policy = Files.readString(DevCluster.repoRoot().resolve("helm/conpaas/templates/codeupload-policy.yaml"));
    Matcher map = Pattern.compile("\\.resource\\(\\{([^}]*)}\\[object\\.spec\\.serviceKind]\\)").matcher(policy);
    assertThat(map.find()).as("the policy looks the resource up in a map by serviceKind").isTrue();
    Map<String, String> mapped = new LinkedHashMap<>();
    Matcher entry = Pattern.compile("'([A-Za-z]+)'\\s*:\\s*'([a-z]+)'").matcher(map.group(1));
    while (entry.find()) {
      mapped.put(entry.group(1), entry.group(2));
    }
    Map<String, String> expected = new LinkedHashMap<>();
    KindRegistry.SERVICE_KINDS.stream().filter(RegisteredKind::takesUploads)
        .forEach(k -> expected.put(k.kind(), k.plural()));
    assertThat(mapped).as("codeupload-policy.yaml: serviceKind -> resource").isEqualTo(expected);
  }

  @Test
  void theAgentHasAPluginForEveryRoleOfEveryRegisteredKind() {
    RoleRegistry agent = RoleRegistry.builtIn();
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      for (String role : k.roles()) {
        assertThat(agent.has(k.kind(), role)).as("agent-runtime RoleRegistry has " + k.kind() + "/" + role).isTrue();
      }
    }
  }

  @Test
  void theArgoCdHealthScriptsCoverEveryRegisteredKind() throws IOException {
    String scripts = Files.readString(DevCluster.repoRoot().resolve("examples/argocd/argocd-cm-health.yaml"));
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      assertThat(scripts).as("examples/argocd/argocd-cm-health.yaml has a health script for " + k.kind())
          .contains("resource.customizations.health." + ApiConstants.GROUP + "_" + k.kind() + ":");
    }
  }

  @Test
  void theOperatorHasAReconcilerForEveryRegisteredKind() {
    for (RegisteredKind k : KindRegistry.SERVICE_KINDS) {
      assertThat(KindControllers.FACTORIES).as("KindControllers has " + k.kind()).containsKey(k.resource());
    }
    assertThat(KindControllers.FACTORIES).hasSameSizeAs(KindRegistry.SERVICE_KINDS);
  }

  private static boolean granted(String resource, String verb) {
    return rules.stream().anyMatch(r -> r.getApiGroups().contains(ApiConstants.GROUP)
        && r.getResources().contains(resource) && r.getVerbs().contains(verb)
        && (r.getResourceNames() == null || r.getResourceNames().isEmpty()));
  }
}
