package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Desired state of a Java web hosting service (manual 2.4): servlet backends serving a war. */
public class JavaServiceSpec extends WebServiceSpec {
  @JsonPropertyDescription("Servlet containers (Tomcat) running the active war; the scale role.")
  private ScaleRoleSpec backend;

  @Override
  public ScaleRoleSpec getBackend() { return backend; }
  public void setBackend(ScaleRoleSpec backend) { this.backend = backend; }
}
