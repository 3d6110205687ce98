package io.conpaas.reconcilers.code;

import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Answers CodeUpload requests: checks that uploads are safe to accept (the authorization policy
 * is installed), that the service exists and the version is new, then publishes a one-time URL
 * valid for a while; expires unused URLs and deletes finished requests after a retention time.
 */
@ControllerConfiguration(name = "codeupload")
public final class CodeUploadReconciler implements Reconciler<CodeUpload> {
  private static final Duration RETENTION = Duration.ofHours(1);

  private final CodeStore store;
  private final CodeUploadSettings settings;
  private final Clock clock;

  public CodeUploadReconciler(CodeStore store, CodeUploadSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  @Override
  public UpdateControl<CodeUpload> reconcile(CodeUpload upload, Context<CodeUpload> context) {
    CodeUploadStatus st = upload.getStatus();
    Instant now = clock.instant();
    if (st == null || st.getPhase() == null) {
      return answer(upload, context.getClient(), now);
    }
    if (st.getPhase() == CodeUploadPhase.Ready) {
      Instant expires = Instant.parse(st.getExpiresAt());
      if (now.isBefore(expires)) {
        return UpdateControl.<CodeUpload>noUpdate().rescheduleAfter(Duration.between(now, expires).plusMillis(100));
      }
      return fail(upload, "expired: no upload arrived by " + st.getExpiresAt() + "; create a new CodeUpload");
    }
    if (st.getPhase() != CodeUploadPhase.Ready) {
      // Completed, Failed, or Uploading left behind by an operator that died mid-upload.
      Instant created = Instant.parse(upload.getMetadata().getCreationTimestamp());
      if (now.isAfter(created.plus(RETENTION))) {
        context.getClient().resource(upload).delete();
        return UpdateControl.noUpdate();
      }
      return UpdateControl.<CodeUpload>noUpdate().rescheduleAfter(Duration.between(now, created.plus(RETENTION)));
    }
    return UpdateControl.noUpdate();
  }

  private UpdateControl<CodeUpload> answer(CodeUpload upload, KubernetesClient client, Instant now) {
    var spec = upload.getSpec();
    String ns = upload.getMetadata().getNamespace();
    if (settings.requirePolicy() && !policyInstalled(client)) {
      return fail(upload, "uploads are refused: the admission policy " + CodeUploadPolicy.NAME
          + " (and its binding), which checks that the uploader may update the service, is not installed");
    }
    String kind = spec.getServiceKind().name();
    ResourceDefinitionContext type = new ResourceDefinitionContext.Builder().withGroup("conpaas.io")
        .withVersion("v1alpha1").withKind(kind).withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s")
        .withNamespaced(true).build();
    GenericKubernetesResource service = client.genericKubernetesResources(type).inNamespace(ns)
        .withName(spec.getService()).get();
    if (service == null) {
      return fail(upload, kind + " " + spec.getService() + " not found in namespace " + ns);
    }
    ServiceCode id = new ServiceCode(ns, kind, spec.getService());
    if (spec.getVersion() != null && store.list(id).stream().anyMatch(v -> v.name().equals(spec.getVersion()))) {
      return fail(upload, "version " + spec.getVersion() + " already exists (versions are immutable; "
          + "upload under a new name)");
    }
    CodeUploadStatus st = new CodeUploadStatus();
    st.setPhase(CodeUploadPhase.Ready);
    st.setUrl(settings.urlFor(upload));
    st.setExpiresAt(now.plus(settings.urlLifetime()).toString());
    st.setMessage("PUT the archive to url once, with the token in the X-Conpaas-Upload-Token header");
    upload.setStatus(st);
    return UpdateControl.patchStatus(upload).rescheduleAfter(settings.urlLifetime().plusMillis(100));
  }

  private static boolean policyInstalled(KubernetesClient client) {
    var admission = client.admissionRegistration().v1();
    return admission.validatingAdmissionPolicies().withName(CodeUploadPolicy.NAME).get() != null
        && admission.validatingAdmissionPolicyBindings().withName(CodeUploadPolicy.NAME).get() != null;
  }

  private static UpdateControl<CodeUpload> fail(CodeUpload upload, String message) {
    CodeUploadStatus st = upload.getStatus() == null ? new CodeUploadStatus() : upload.getStatus();
    st.setPhase(CodeUploadPhase.Failed);
    st.setUrl(null);
    st.setMessage(message);
    upload.setStatus(st);
    return UpdateControl.patchStatus(upload).rescheduleAfter(RETENTION);
  }
}
