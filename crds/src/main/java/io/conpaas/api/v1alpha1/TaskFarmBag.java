package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where a TaskFarm's bag of tasks comes from. */
public class TaskFarmBag {
  @JsonPropertyDescription("A ConfigMap key (same namespace) holding the bag, one task per line; "
      + "`kubectl conpaas taskfarm upload-bag` writes one.")
  private ConfigMapKeyRef configMapRef;

  public TaskFarmBag() {}

  public TaskFarmBag(ConfigMapKeyRef configMapRef) {
    this.configMapRef = configMapRef;
  }

  public ConfigMapKeyRef getConfigMapRef() { return configMapRef; }
  public void setConfigMapRef(ConfigMapKeyRef configMapRef) { this.configMapRef = configMapRef; }
}
