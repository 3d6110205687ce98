package io.conpaas.reconcilers.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileRequestTest {
  private static HelloWorldService svc(long generation, String request, List<String> finalizers, String deleted) {
    HelloWorldService s = new HelloWorldService();
    s.setMetadata(new ObjectMetaBuilder().withName("s").withGeneration(generation).withFinalizers(finalizers)
        .withDeletionTimestamp(deleted)
        .withAnnotations(request == null ? Map.of() : Map.of(ApiConstants.ANNOTATION_RECONCILE_REQUESTED_AT, request))
        .build());
    return s;
  }

  @Test
  void aMetadataOnlyChangePassesOnlyWithANewRequest() {
    var plain = svc(3, null, List.of(), null);
    var asked = svc(3, "2026-12-05T16:00:00Z", List.of(), null);
    var askedAgain = svc(3, "2026-12-05T16:01:00Z", List.of(), null);

    assertThat(ReconcileRequest.worthReconciling(plain, plain)).isFalse();
    assertThat(ReconcileRequest.worthReconciling(asked, plain)).isTrue();
    assertThat(ReconcileRequest.worthReconciling(asked, asked)).isFalse();
    assertThat(ReconcileRequest.worthReconciling(askedAgain, asked)).isTrue();
    // Removing the annotation asks for nothing.
    assertThat(ReconcileRequest.worthReconciling(plain, asked)).isFalse();
  }

  @Test
  void keepsJosdksGenerationAwareRules() {
    var base = svc(3, null, List.of(), null);
    assertThat(ReconcileRequest.worthReconciling(svc(4, null, List.of(), null), base)).isTrue();
    assertThat(ReconcileRequest.worthReconciling(svc(3, null, List.of("conpaas.io/release-agents"), null), base))
        .isTrue();
    assertThat(ReconcileRequest.worthReconciling(svc(3, null, List.of(), "2026-12-05T16:00:00Z"), base)).isTrue();
  }

  @Test
  void statusRecordsTheRequestOrKeepsTheLastOne() {
    assertThat(ReconcileRequest.recorded(svc(1, "now-1", List.of(), null), "old")).isEqualTo("now-1");
    assertThat(ReconcileRequest.recorded(svc(1, null, List.of(), null), "old")).isEqualTo("old");
    assertThat(ReconcileRequest.recorded(svc(1, "x".repeat(500), List.of(), null), null)).hasSize(128);
  }
}
