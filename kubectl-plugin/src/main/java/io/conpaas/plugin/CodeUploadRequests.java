package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.ApiConstants;
import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadSpec;
import io.conpaas.api.v1alpha1.CodeUploadStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The CodeUpload objects of upload-code and upload-dump: one is created per upload (the
 * Kubernetes-authorized request), awaited until the operator answers with a one-time URL, and
 * deleted afterwards.
 */
final class CodeUploadRequests {
  private static final Duration FIRST_POLL = Duration.ofMillis(100);
  private static final Duration MAX_POLL = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final String command;

  /** Requests of {@code command} (upload-code, upload-dump), which starts their error messages. */
  CodeUploadRequests(KubernetesClient client, String command) {
    this.client = client;
    this.command = command;
  }

  /**
   * Creates the request to upload {@code version} of service {@code s} (null: an SQL dump, which
   * has no version), carrying only the token's hash.
   */
  CodeUpload create(ServiceObject s, String version, String tokenSha256) {
    return create(s, version, tokenSha256, version == null ? s.name() + "-dump-"
        : CodeVersions.uploadNamePrefix(s.name(), version), spec -> { });
  }

  /** Like {@link #create(ServiceObject, String, String)} with a name prefix and more spec fields (MapReduce). */
  CodeUpload create(ServiceObject s, String version, String tokenSha256, String namePrefix,
      Consumer<CodeUploadSpec> more) {
    CodeUploadSpec spec = new CodeUploadSpec();
    spec.setServiceKind(CodeUploadSpec.ServiceKind.valueOf(s.kind().kind()));
    spec.setService(s.name());
    spec.setVersion(version);
    spec.setTokenSha256(tokenSha256);
    more.accept(spec);
    CodeUpload u = new CodeUpload();
    u.setMetadata(new ObjectMetaBuilder().withGenerateName(namePrefix)
        .withNamespace(s.namespace()).withLabels(Map.of(ApiConstants.LABEL_SERVICE, s.name())).build());
    u.setSpec(spec);
    try {
      return client.resources(CodeUpload.class).inNamespace(s.namespace()).resource(u).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        throw new CliException("the API server does not know codeuploads.conpaas.io: are the ConPaaS CRDs "
            + "installed (helm/conpaas/crds)?");
      }
      throw e;
    }
  }

  /**
   * Waits (polling with a pause that grows to one second) until the operator has
   * answered {@code u}: returns a Ready status with its URL, fails in one line on Failed, on a
   * timeout or when the request disappears.
   */
  CodeUploadStatus awaitUrl(CodeUpload u, Duration timeout) throws InterruptedException {
    Resource<CodeUpload> r = resource(u);
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = FIRST_POLL;
    while (true) {
      CodeUpload current = r.get();
      if (current == null) {
        throw new CliException(ref(u) + " was deleted before the operator answered");
      }
      CodeUploadStatus st = current.getStatus();
      CodeUploadPhase phase = st == null ? null : st.getPhase();
      if (phase == CodeUploadPhase.Failed) {
        throw new CliException(command + ": " + (blank(st.getMessage())
            ? "the operator refused " + ref(u) + " without saying why" : st.getMessage()));
      }
      if (phase == CodeUploadPhase.Ready) {
        if (blank(st.getUrl())) {
          throw new CliException("the operator answered " + ref(u) + " without an upload URL");
        }
        return st;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new CliException("timed out after " + Durations.format(timeout) + " waiting for " + ref(u)
            + ": the operator did not answer (is it running and watching namespace '"
            + u.getMetadata().getNamespace() + "'?)");
      }
      Thread.sleep(Math.min(pause.toMillis(), Duration.ofNanos(left).toMillis() + 1));
      pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
    }
  }

  /** Deletes the request (the operator forgets its URL); a request already gone is fine. */
  void delete(CodeUpload u) {
    resource(u).delete();
  }

  /** Like {@link #delete}, but a failure is only a line to {@code warnings}: the upload itself is done. */
  void deleteQuietly(CodeUpload u, Consumer<String> warnings) {
    try {
      delete(u);
    } catch (KubernetesClientException e) {
      warnings.accept("could not delete " + ref(u) + ": " + ErrorMessages.describe(e));
    }
  }

  /** codeupload/NAME, as messages name it. */
  static String ref(CodeUpload u) {
    return "codeupload/" + u.getMetadata().getName();
  }

  private Resource<CodeUpload> resource(CodeUpload u) {
    return client.resources(CodeUpload.class).inNamespace(u.getMetadata().getNamespace())
        .withName(u.getMetadata().getName());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
