package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** An archive the operator downloads and checks against its digest. */
@ValidationRule(value = "has(self.url) && has(self.sha256)", message = "source needs both url and sha256")
public class CodeSource {
  @Pattern("^https?://.+")
  @JsonPropertyDescription("http(s) URL of a zip, tar, tar.gz (PHP) or war (Java) archive.")
  private String url;

  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription("SHA-256 of the archive (lowercase hex); a download with another digest is refused.")
  private String sha256;

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getSha256() { return sha256; }
  public void setSha256(String sha256) { this.sha256 = sha256; }
}
