package io.conpaas.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A request to upload one code version to a web service. Creating it is the authorization step
 * (an admission policy lets only callers who may update the service create it); the operator
 * answers with a one-time URL, and the archive is streamed there with the token whose hash the
 * request carries.
 */
@Group(ApiConstants.GROUP)
@Version(ApiConstants.VERSION)
@Categories("conpaas")
@AdditionalPrinterColumn(name = "SERVICE", jsonPath = ".spec.service")
@AdditionalPrinterColumn(name = "VERSION", jsonPath = ".spec.version")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class CodeUpload extends CustomResource<CodeUploadSpec, CodeUploadStatus> implements Namespaced {
  @Override
  @Required
  @JsonPropertyDescription("Which service and version the upload is for, and the hash of the upload token.")
  public CodeUploadSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("The one-time upload URL and the outcome.")
  public CodeUploadStatus getStatus() {
    return super.getStatus();
  }
}
