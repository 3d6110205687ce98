package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.LinkedHashMap;
import java.util.Map;

/** Desired state of a Selenium Grid service: one hub, browser nodes (the scale role). */
public class SeleniumServiceSpec extends ServiceSpec {
  public static final String ROLE_HUB = "hub";
  public static final String ROLE_NODES = "nodes";

  @ValidationRule(value = "!has(self.nodes) || self.nodes == 1",
      message = "a Selenium service has exactly one hub; scale the nodes instead")
  @JsonPropertyDescription("The Grid hub (router, distributor, session queue); always exactly one node.")
  private RoleSpec hub;

  @JsonPropertyDescription("Browser nodes (headless Chromium) that register with the hub; this is the scale role. "
      + "Scaling down drains the leaving nodes: they take no new session and go once idle (at most 5 minutes).")
  private ScaleRoleSpec nodes;

  @Default("1")
  @Min(1)
  @Max(16)
  @JsonPropertyDescription("Concurrent browser sessions per node, 1 to 16 (default 1).")
  private Integer sessionsPerNode;

  public RoleSpec getHub() { return hub; }
  public void setHub(RoleSpec hub) { this.hub = hub; }
  public ScaleRoleSpec getNodes() { return nodes; }
  public void setNodes(ScaleRoleSpec nodes) { this.nodes = nodes; }
  public Integer getSessionsPerNode() { return sessionsPerNode; }
  public void setSessionsPerNode(Integer sessionsPerNode) { this.sessionsPerNode = sessionsPerNode; }

  /** spec.sessionsPerNode, 1 when unset (not a bean getter on purpose). */
  public int sessions() {
    return sessionsPerNode == null ? 1 : sessionsPerNode;
  }

  @Override
  public Map<String, AbstractRoleSpec> roles() {
    // The hub first: nodes register with it. An absent hub block still means one hub.
    Map<String, AbstractRoleSpec> roles = new LinkedHashMap<>();
    roles.put(ROLE_HUB, hub == null ? new RoleSpec(1) : hub);
    roles.put(ROLE_NODES, nodes);
    return roles;
  }
}
