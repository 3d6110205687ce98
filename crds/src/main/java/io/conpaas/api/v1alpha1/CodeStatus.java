package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The code versions a web service holds and the one its agents serve. */
public class CodeStatus {
  @JsonPropertyDescription("The version every ready web and backend agent serves (empty: the default page).")
  private String active;
  @JsonPropertyDescription("Uploaded or fetched versions, oldest first (ConPaaS list_code_versions).")
  private List<CodeVersionStatus> versions = new ArrayList<>();
  @JsonPropertyDescription("Why the code is not as the spec asks, e.g. an unknown activeVersion or a failed fetch.")
  private String message;

  public String getActive() { return active; }
  public void setActive(String active) { this.active = active; }
  public List<CodeVersionStatus> getVersions() { return versions; }
  public void setVersions(List<CodeVersionStatus> versions) { this.versions = versions; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
}
