package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A git repository whose tree at a ref is the code (PhpService). */
public class GitSource {
  @Required
  @Pattern("^(https?|ssh|git)://.+")
  @JsonPropertyDescription("Repository URL (https, ssh or git protocol).")
  private String url;

  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
  @JsonPropertyDescription("Branch, tag or commit. It is resolved once: to deploy a newer commit of a branch, "
      + "change ref (a tag or commit id keeps GitOps reproducible).")
  private String ref;

  public String getUrl() { return url; }
  public void setUrl(String url) { this.url = url; }
  public String getRef() { return ref; }
  public void setRef(String ref) { this.ref = ref; }
}
