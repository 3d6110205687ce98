package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.LinkedHashMap;
import java.util.Map;

/** Desired state of the helloworld service (ConPaaS's example service, manual section 3). */
public class HelloWorldServiceSpec extends ServiceSpec {
  public static final String ROLE_AGENTS = "agents";

  @JsonPropertyDescription("The agents that answer get_helloworld; this is the scale role.")
  private ScaleRoleSpec agents;

  @JsonPropertyDescription("The message every agent returns from get_helloworld.")
  private String message;

  public ScaleRoleSpec getAgents() { return agents; }
  public void setAgents(ScaleRoleSpec agents) { this.agents = agents; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_AGENTS, agents);
    return roles;
  }
}
