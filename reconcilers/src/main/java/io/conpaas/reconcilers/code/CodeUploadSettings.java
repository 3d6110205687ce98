package io.conpaas.reconcilers.code;

import io.conpaas.api.v1alpha1.CodeUpload;
import java.time.Duration;

/**
 * Where uploads are received and for how long a URL is valid. baseUrl is how uploaders reach the
 * operator's upload listener: http://127.0.0.1:PORT beside the cluster, or the API server path of
 * the operator's Service proxy in-cluster (/api/v1/namespaces/NS/services/http:NAME:upload/proxy).
 */
public record CodeUploadSettings(String baseUrl, Duration urlLifetime, boolean requirePolicy) {
  public CodeUploadSettings {
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** The one-time URL of an upload: names the object and its uid, so a recreated name gets a new URL. */
  public String urlFor(CodeUpload upload) {
    return baseUrl + UploadPaths.PREFIX + upload.getMetadata().getNamespace() + "/" + upload.getMetadata().getName()
        + "/" + upload.getMetadata().getUid();
  }
}
