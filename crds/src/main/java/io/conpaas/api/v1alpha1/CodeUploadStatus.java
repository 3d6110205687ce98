package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The operator's answer to a CodeUpload. */
public class CodeUploadStatus {
  @JsonPropertyDescription("Ready (url accepts one upload), Uploading, Completed or Failed.")
  private CodeUploadPhase phase;
  @JsonPropertyDescription("Where to PUT the archive once, with the token in the X-Conpaas-Upload-Token header. A path "
      + "starting with /api/ is relative to the API server (the operator's Service proxy).")
  private String url;
  @JsonPropertyDescription("When the URL stops accepting the upload (RFC 3339).")
  private String expiresAt;
  @JsonPropertyDescription("SHA-256 of the stored archive.")
  private String sha256;
  @JsonPropertyDescription("Size of the stored archive in bytes.")
  private Long bytes;
  @JsonPropertyDescription("Outcome; for Failed, what was wrong with the upload.")
  private String message;

  public CodeUploadPhase getPhase() { return phase; }
  public void setPhase(CodeUploadPhase phase) { this.phase = phase; }
  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getExpiresAt() { return expiresAt; }
  public void setExpiresAt(String expiresAt) { this.expiresAt = expiresAt; }
  public String getSha256() { return sha256; }
  public void setSha256(String sha256) { this.sha256 = sha256; }
  public Long getBytes() { return bytes; }
  public void setBytes(Long bytes) { this.bytes = bytes; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
