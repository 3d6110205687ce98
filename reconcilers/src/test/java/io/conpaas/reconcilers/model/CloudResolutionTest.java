package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CloudResolution: role, then service, then application, then the single default Cloud. */
class CloudResolutionTest {

  private static Cloud cloud(String name, boolean isDefault) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    spec.setDefaultCloud(isDefault);
    c.setSpec(spec);
    return c;
  }

  private static final List<Cloud> CLOUDS =
      List.of(cloud("role-c", false), cloud("svc-c", false), cloud("app-c", false), cloud("dflt", true));

  @Test
  void roleCloudWinsOverServiceAndApplication() {
    assertThat(CloudResolution.resolve("role-c", "svc-c", "app-c", CLOUDS))
        .isEqualTo(new CloudResolution.Result("role-c", null));
  }

  @Test
  void serviceCloudWinsOverApplication() {
    assertThat(CloudResolution.resolve(null, "svc-c", "app-c", CLOUDS).cloud()).isEqualTo("svc-c");
    assertThat(CloudResolution.resolve(" ", "svc-c", "app-c", CLOUDS).cloud()).isEqualTo("svc-c");
  }

  @Test
  void applicationCloudWinsOverDefault() {
    assertThat(CloudResolution.resolve(null, null, "app-c", CLOUDS).cloud()).isEqualTo("app-c");
  }

  @Test
  void singleDefaultWhenNothingIsNamed() {
    CloudResolution.Result r = CloudResolution.resolve(null, "", null, CLOUDS);

    assertThat(r.ok()).isTrue();
    assertThat(r.cloud()).isEqualTo("dflt");
  }

  @Test
  void namedCloudThatDoesNotExistIsAnErrorNamingIt() {
    CloudResolution.Result r = CloudResolution.resolve(null, "ec2-mars", "app-c", CLOUDS);

    assertThat(r.ok()).isFalse();
    assertThat(r.cloud()).isNull();
    assertThat(r.error()).contains("ec2-mars");
  }

  @Test
  void noDefaultIsAnError() {
    CloudResolution.Result r = CloudResolution.resolve(null, null, null, List.of(cloud("a", false)));

    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("default");
  }

  @Test
  void twoDefaultsIsAnErrorListingBoth() {
    CloudResolution.Result r = CloudResolution.resolve(null, null, null,
        List.of(cloud("zeta", true), cloud("other", false), cloud("alpha", true)));

    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("alpha, zeta").doesNotContain("other");
  }

  @Test
  void aCloudWithAllowedNamespacesRefusesOtherNamespacesNamingTheRule() {
    Cloud c = cloud("team-a-cloud", false);
    c.getSpec().setAllowedNamespaces(List.of("team-a"));

    assertThat(CloudResolution.resolve(null, "team-a-cloud", null, List.of(c), "team-a", null).cloud())
        .isEqualTo("team-a-cloud");
    CloudResolution.Result r = CloudResolution.resolve(null, "team-a-cloud", null, List.of(c), "team-b", null);
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).isEqualTo(
        "Cloud team-a-cloud does not allow namespace team-b (spec.allowedNamespaces: team-a)");
  }

  @Test
  void aCloudWithAllowedInstanceTypesRefusesOthersButAdmitsItsDefault() {
    Cloud c = cloud("aws", true);
    c.getSpec().setAllowedInstanceTypes(List.of("t3.small", "t3.medium"));

    assertThat(CloudResolution.resolve(null, null, null, List.of(c), "ns", "t3.medium").ok()).isTrue();
    assertThat(CloudResolution.resolve(null, null, null, List.of(c), "ns", null).ok()).as("the Cloud's default")
        .isTrue();
    assertThat(CloudResolution.resolve(null, null, null, List.of(c), "ns", "p4d.24xlarge").error()).isEqualTo(
        "Cloud aws does not allow instance type p4d.24xlarge (spec.allowedInstanceTypes: t3.small, t3.medium)");
  }

  @Test
  void emptyListsAllowEverything() {
    Cloud c = cloud("open", true);
    c.getSpec().setAllowedNamespaces(List.of());
    c.getSpec().setAllowedInstanceTypes(List.of());

    assertThat(CloudResolution.resolve(null, null, null, List.of(c), "any", "any.type").ok()).isTrue();
  }
}
