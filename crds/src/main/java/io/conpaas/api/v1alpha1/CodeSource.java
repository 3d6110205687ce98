package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/** Code the operator fetches: an archive checked against its digest, or a git tree. */
@ValidationRule(value = "has(self.git) != (has(self.url) || has(self.sha256))",
    message = "source is either {url, sha256} or {git: {url, ref}}")
@ValidationRule(value = "has(self.git) || (has(self.url) && has(self.sha256))",
    message = "an archive source needs both url and sha256")
public class CodeSource {
  @Pattern("^https?://.+")
  @JsonPropertyDescription("http(s) URL of a zip, tar, tar.gz (PHP) or war (Java) archive.")
  private String url;

  @Pattern("^[0-9a-f]{64}$")
  @JsonPropertyDescription("SHA-256 of the archive (lowercase hex); a download with another digest is refused.")
  private String sha256;

  @JsonPropertyDescription("A git repository and ref whose tree is the code (PhpService only).")
  private GitSource git;

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getSha256() { return sha256; }
  public void setSha256(String sha256) { this.sha256 = sha256; }
  public GitSource getGit() { return git; }
  public void setGit(GitSource git) { this.git = git; }
}
