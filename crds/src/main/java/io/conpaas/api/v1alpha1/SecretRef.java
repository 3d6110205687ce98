package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A reference to a Secret by name and namespace. */
public class SecretRef {
  @Required
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  @JsonPropertyDescription("Namespace of the Secret; defaults to the operator's namespace.")
  private String namespace;

  public SecretRef() {}

  public SecretRef(String name, String namespace) {
    this.name = name;
    this.namespace = namespace;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
}
