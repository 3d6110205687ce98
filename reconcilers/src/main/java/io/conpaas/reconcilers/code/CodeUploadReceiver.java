package io.conpaas.reconcilers.code;

import io.conpaas.agent.code.CodeVersion;
import io.conpaas.agent.code.UploadRejected;
import io.conpaas.api.v1alpha1.CodeUpload;
import io.conpaas.api.v1alpha1.CodeUploadPhase;
import io.conpaas.api.v1alpha1.CodeUploadStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the archive of a CodeUpload (behind the upload listener): the token must hash to the
 * request's tokenSha256, the URL is spent on first use (an optimistic status update, so two
 * concurrent uses cannot both pass), and the archive is streamed into the {@link CodeStore},
 * which checks it. The outcome goes to the request's status and to the uploader.
 */
public final class CodeUploadReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(CodeUploadReceiver.class);

  /** HTTP status and JSON body to answer with. */
  public record Answer(int status, Map<String, Object> body) {
    public static Answer error(int status, String message) {
      return new Answer(status, Map.of("error", message));
    }
  }

  private final KubernetesClient client;
  private final CodeStore store;
  private final DumpTarget dumps;
  private final JobTarget jobs;
  private final Clock clock;

  public CodeUploadReceiver(KubernetesClient client, CodeStore store, DumpTarget dumps, Clock clock) {
    this(client, store, dumps, JobTarget.NONE, clock);
  }

  public CodeUploadReceiver(KubernetesClient client, CodeStore store, DumpTarget dumps, JobTarget jobs,
      Clock clock) {
    this.client = client;
    this.store = store;
    this.dumps = dumps;
    this.jobs = jobs;
    this.clock = clock;
  }

  /** Handles PUT /uploads/ns/name/uid with the upload token and the body of declared length (-1: unknown). */
  public Answer receive(String namespace, String name, String uid, String token, InputStream body,
      long declaredLength) {
    CodeUpload upload = client.resources(CodeUpload.class).inNamespace(namespace).withName(name).get();
    if (upload == null || !upload.getMetadata().getUid().equals(uid)) {
      return Answer.error(404, "no such upload request " + namespace + "/" + name);
    }
    if (!tokenMatches(token, upload.getSpec().getTokenSha256())) {
      // 403, not 401: through the API server a 401 reads as "your kubeconfig credentials failed".
      return Answer.error(403, "the upload token is missing or wrong");
    }
    CodeUploadStatus st = upload.getStatus();
    if (st == null || st.getPhase() != CodeUploadPhase.Ready) {
      return Answer.error(409, "upload request " + name + " is " + (st == null || st.getPhase() == null
          ? "not answered yet" : st.getPhase() + ": its URL can be used once"));
    }
    if (!clock.instant().isBefore(Instant.parse(st.getExpiresAt()))) {
      return Answer.error(410, "the upload URL expired at " + st.getExpiresAt());
    }
    st.setPhase(CodeUploadPhase.Uploading);
    st.setMessage("receiving");
    try {
      // Carries the resourceVersion read above: a concurrent second use gets a conflict.
      upload = client.resource(upload).updateStatus();
    } catch (KubernetesClientException e) {
      return Answer.error(409, "upload request " + name + " is being used already");
    }
    var spec = upload.getSpec();
    if (spec.getServiceKind() == io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind.MysqlService) {
      return dump(upload, body, declaredLength);
    }
    if (spec.getServiceKind() == io.conpaas.api.v1alpha1.CodeUploadSpec.ServiceKind.MapReduceService) {
      return job(upload, body, declaredLength);
    }
    ServiceCode service = new ServiceCode(namespace, spec.getServiceKind().name(), spec.getService());
    try {
      CodeVersion v = store.store(service, spec.getVersion(), body, declaredLength, CodeStore.UPLOADED);
      st = upload.getStatus();
      st.setPhase(CodeUploadPhase.Completed);
      st.setUrl(null);
      st.setSha256(v.sha256());
      st.setBytes(v.bytes());
      st.setMessage("stored version " + v.version() + " of " + service);
      finish(upload);
      LOG.info("stored code version {} of {} ({} bytes)", v.version(), service, v.bytes());
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("version", v.version());
      answer.put("sha256", v.sha256());
      answer.put("bytes", v.bytes());
      return new Answer(201, answer);
    } catch (UploadRejected e) {
      failed(upload, e.getMessage());
      return Answer.error(e.status(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("upload of {} version {} failed", service, spec.getVersion(), e);
      failed(upload, "the operator could not store the upload: " + e.getMessage());
      return Answer.error(500, "the operator could not store the upload: " + e.getMessage());
    }
  }

  private Answer dump(CodeUpload upload, InputStream body, long declaredLength) {
    Answer a;
    long cap = store.limits().maxUploadBytes();
    try {
      if (declaredLength < 0 || declaredLength > cap) {
        // Checked before the master sees a byte: a refused dump applies nothing.
        a = Answer.error(413, declaredLength < 0 ? "a dump needs a Content-Length (the size is checked first)"
            : "the dump has " + declaredLength + " bytes, more than the limit of " + cap + "; nothing was applied");
      } else {
        a = dumps.apply(upload.getMetadata().getNamespace(), upload.getSpec().getService(), body, declaredLength);
      }
    } catch (RuntimeException e) {
      LOG.warn("dump upload {} failed", upload.getMetadata().getName(), e);
      a = Answer.error(500, "the operator could not apply the dump: " + e.getMessage());
    }
    CodeUploadStatus st = upload.getStatus();
    if (a.status() < 300) {
      st.setPhase(CodeUploadPhase.Completed);
      st.setUrl(null);
      st.setMessage("dump applied on the master");
      finish(upload);
    } else {
      failed(upload, String.valueOf(a.body().getOrDefault("error", "refused with status " + a.status())));
    }
    return a;
  }

  /** A MapReduce job jar (run on the master) or data file (put into HDFS): size checked first, then handed over. */
  private Answer job(CodeUpload upload, InputStream body, long declaredLength) {
    Answer a;
    long cap = store.limits().maxUploadBytes();
    var spec = upload.getSpec();
    try {
      if (declaredLength < 0 || declaredLength > cap) {
        a = Answer.error(413, declaredLength < 0 ? "an upload to a MapReduce service needs a Content-Length"
            : "the file has " + declaredLength + " bytes, more than the limit of " + cap);
      } else {
        a = jobs.accept(upload.getMetadata().getNamespace(), spec, body, declaredLength);
      }
    } catch (RuntimeException e) {
      LOG.warn("MapReduce upload {} failed", upload.getMetadata().getName(), e);
      a = Answer.error(500, "the operator could not hand the upload to the master: " + e.getMessage());
    }
    if (a.status() < 300) {
      CodeUploadStatus st = upload.getStatus();
      st.setPhase(CodeUploadPhase.Completed);
      st.setUrl(null);
      st.setBytes(declaredLength);
      st.setMessage(spec.getHdfsPath() != null ? "written to HDFS at " + spec.getHdfsPath()
          : "job " + a.body().get("job") + " submitted to the master");
      finish(upload);
    } else {
      failed(upload, String.valueOf(a.body().getOrDefault("error", "refused with status " + a.status())));
    }
    return a;
  }

  private void failed(CodeUpload upload, String message) {
    CodeUploadStatus st = upload.getStatus();
    st.setPhase(CodeUploadPhase.Failed);
    st.setUrl(null);
    st.setMessage(message);
    finish(upload);
  }

  private void finish(CodeUpload upload) {
    // An upload cut by the listener's time limit arrives here with its thread interrupted (that
    // is how the connection was closed); the outcome must still be recorded.
    Thread.interrupted();
    try {
      upload.getMetadata().setResourceVersion(null);
      client.resource(upload).updateStatus();
    } catch (KubernetesClientException e) {
      // The uploader gets the answer anyway; the request expires from Uploading via retention.
      LOG.warn("cannot record the outcome of upload {}: {}", upload.getMetadata().getName(), e.getMessage());
    }
  }

  static boolean tokenMatches(String token, String expectedSha256) {
    if (token == null || token.isBlank() || expectedSha256 == null) {
      return false;
    }
    try {
      byte[] got = MessageDigest.getInstance("SHA-256").digest(token.trim().getBytes(StandardCharsets.UTF_8));
      return MessageDigest.isEqual(HexFormat.of().formatHex(got).getBytes(StandardCharsets.US_ASCII),
          expectedSha256.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
