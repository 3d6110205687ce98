package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

/** Spec fields common to every service kind; subclasses add one block per role. */
public abstract class ServiceSpec {
  @Required
  @ValidationRule(value = "self == oldSelf", message = "application is immutable")
  @JsonPropertyDescription("Name of the Application (same namespace) this service belongs to. "
      + "Required and immutable.")
  private String application;

  @JsonPropertyDescription("Cloud for this service's VMs; unset means the Application's Cloud, "
      + "then the Cloud marked default.")
  private String cloud;

  @JsonPropertyDescription("ConPaaS stop: release every agent but keep configuration and code.")
  private Boolean stopped;

  public String getApplication() { return application; }
  public void setApplication(String application) { this.application = application; }
  public String getCloud() { return cloud; }
  public void setCloud(String cloud) { this.cloud = cloud; }
  public Boolean getStopped() { return stopped; }
  public void setStopped(Boolean stopped) { this.stopped = stopped; }

  /** True when the service is asked to release its agents (not a bean getter on purpose). */
  public boolean stopRequested() { return Boolean.TRUE.equals(stopped); }

  /** The role blocks of this kind by role name, in the order roles are brought up. */
  @JsonIgnore
  public abstract Map<String, AbstractRoleSpec> roles();
}
