package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One stored code version. */
public class CodeVersionStatus {
  @JsonPropertyDescription("Version name.")
  private String version;
  @JsonPropertyDescription("SHA-256 of the archive.")
  private String sha256;
  @JsonPropertyDescription("Archive size in bytes.")
  private Long bytes;
  @JsonPropertyDescription("Archive format: zip, tar or tar.gz.")
  private String format;
  @JsonPropertyDescription("When it was stored (RFC 3339).")
  private String uploaded;
  @JsonPropertyDescription("upload, or the URL it was fetched from.")
  private String origin;

  public CodeVersionStatus() {}

  public CodeVersionStatus(String version, String sha256, long bytes, String format, String uploaded, String origin) {
    this.version = version;
    this.sha256 = sha256;
    this.bytes = bytes;
    this.format = format;
    this.uploaded = uploaded;
    this.origin = origin;
  }

  public String getVersion() { return version; }
  public void setVersion(String version) { this.version = version; }
  public String getSha256() { return sha256; }
  public void setSha256(String sha256) { this.sha256 = sha256; }
  public Long getBytes() { return bytes; }
  public void setBytes(Long bytes) { this.bytes = bytes; }
  public String getFormat() { return format; }
  public void setFormat(String format) { this.format = format; }
  public String getUploaded() { return uploaded; }
  public void setUploaded(String uploaded) { this.uploaded = uploaded; }
  public String getOrigin() { return origin; }
  public void setOrigin(String origin) { this.origin = origin; }
}
