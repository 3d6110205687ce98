package io.conpaas.plugin.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The doctor's pure judgements: clock skew from a Date header, a Lease's freshness, CRD differences. */
class DoctorChecksTest {
  private static final Instant T = Instant.parse("2026-12-05T16:00:00Z");

  @Test
  void skewIsTheServersSecondMiddleMinusTheRequestsMiddle() {
    Duration skew = ClockSkew.of("Sat, 05 Dec 2026 16:00:10 GMT", T, T.plusMillis(200));
    assertThat(skew).isEqualTo(Duration.ofMillis(10_400));
    assertThat(ClockSkew.judge(skew, Duration.ofSeconds(5), Duration.ofMillis(200)).failed()).isTrue();
    assertThat(ClockSkew.judge(skew, Duration.ofSeconds(5), Duration.ofMillis(200)).detail())
        .startsWith("this machine is 10.4 s behind the API server");
    Duration ahead = ClockSkew.of("Sat, 05 Dec 2026 15:59:59 GMT", T, T.plusMillis(100));
    assertThat(ClockSkew.judge(ahead, Duration.ofSeconds(5), Duration.ofMillis(100)).failed()).isFalse();
    assertThat(ClockSkew.judge(ahead, Duration.ofSeconds(5), Duration.ofMillis(100)).detail()).contains("ahead of");
  }

  @Test
  void aLeaseIsHealthyWhileItsHolderRenewsItInTime() {
    assertThat(LeaseHealth.judge("ns/op", "pod-1", T, 15, T.plusSeconds(10)).failed()).isFalse();
    assertThat(LeaseHealth.judge("ns/op", "pod-1", T, 15, T.plusSeconds(16)).detail()).contains("expired");
    assertThat(LeaseHealth.judge("ns/op", "", T, 15, T).detail()).contains("no holder");
    assertThat(LeaseHealth.judge("ns/op", null, null, null, T).fix()).contains("kubectl -n ns get pods");
  }

  @Test
  void aCrdDiffersWhenAVersionIsNotServedOrItsSchemaChanged() {
    String crd = "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\",\"spec\":"
        + "{\"versions\":[{\"name\":\"v1alpha1\",\"served\":%s,\"storage\":true,\"schema\":{\"openAPIV3Schema\":"
        + "{\"type\":\"object\",\"description\":\"%s\"}}}]}}";
    CustomResourceDefinition mine = Serialization.unmarshal(String.format(crd, "true", "a"),
        CustomResourceDefinition.class);
    assertThat(Doctor.difference(mine, Serialization.unmarshal(String.format(crd, "true", "a"),
        CustomResourceDefinition.class))).isEmpty();
    assertThat(Doctor.difference(mine, Serialization.unmarshal(String.format(crd, "true", "b"),
        CustomResourceDefinition.class))).hasValueSatisfying(d -> assertThat(d).contains("schema of v1alpha1"));
    assertThat(Doctor.difference(mine, Serialization.unmarshal(String.format(crd, "false", "a"),
        CustomResourceDefinition.class))).hasValueSatisfying(d -> assertThat(d).contains("does not serve"));
  }
}
