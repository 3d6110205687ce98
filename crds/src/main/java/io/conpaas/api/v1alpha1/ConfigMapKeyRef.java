package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a ConfigMap in the same namespace. */
public class ConfigMapKeyRef {
  @Required
  @JsonPropertyDescription("Name of the ConfigMap.")
  private String name;

  @JsonPropertyDescription("Key in the ConfigMap's data (default bag).")
  private String key;

  public ConfigMapKeyRef() {}

  public ConfigMapKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }

  /** The key, "bag" when unset. */
  public String keyOrDefault() { return key == null || key.isBlank() ? "bag" : key; }
}
