package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Which code version a web service serves, and where the operator may fetch code from (GitOps). */
public class CodeSpec {
  /** What a version name may look like (the agents use the same rule). */
  public static final String VERSION_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$";

  @Pattern(VERSION_PATTERN)
  @JsonPropertyDescription("The uploaded (or fetched) version every web and backend agent serves; rollback is "
      + "setting an older one. Unset: the version fetched from source, else the agents' default page.")
  private String activeVersion;

  @JsonPropertyDescription("Code the operator fetches itself (GitOps), instead of or besides uploads.")
  private CodeSource source;

  public String getActiveVersion() { return activeVersion; }
  public void setActiveVersion(String activeVersion) { this.activeVersion = activeVersion; }
  public CodeSource getSource() { return source; }
  public void setSource(CodeSource source) { this.source = source; }
}
