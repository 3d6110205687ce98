package io.conpaas.reconcilers.code;

/**
 * The admission policy that makes creating a CodeUpload an authorization check: only a caller who
 * may update the target service may create one (shipped in the Helm chart as
 * templates/codeupload-policy.yaml). Without it anyone who may create CodeUploads could upload,
 * so the operator refuses uploads while it is missing.
 */
public final class CodeUploadPolicy {
  public static final String NAME = "conpaas-codeupload-authz";

  private CodeUploadPolicy() {}
}
