package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many workers of one instance type. */
public class WorkerCount {
  @JsonPropertyDescription("Instance type.")
  private String instanceType;

  @JsonPropertyDescription("Workers of that type.")
  private Integer count;

  public WorkerCount() {}

  public WorkerCount(String instanceType, int count) {
    this.instanceType = instanceType;
    this.count = count;
  }

  public String getInstanceType() { return instanceType; }
  public void setInstanceType(String instanceType) { this.instanceType = instanceType; }
  public Integer getCount() { return count; }
  public void setCount(Integer count) { this.count = count; }
}
