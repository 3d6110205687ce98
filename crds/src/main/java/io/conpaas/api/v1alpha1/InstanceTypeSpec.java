package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One instance type a Cloud offers, with its price: the cost model of TaskFarm (and of money spent). */
public class InstanceTypeSpec {
  @Required
  @JsonPropertyDescription("The instance type's name, as a role's instanceType names it (e.g. t3.small).")
  private String name;

  @Required
  @Min(0)
  @JsonPropertyDescription("Price of one VM of this type per hour, in the Cloud's currency.")
  private Double pricePerHour;

  @Min(1)
  @JsonPropertyDescription("Virtual CPUs of one VM of this type.")
  private Integer cpus;

  @Min(1)
  @JsonPropertyDescription("Memory of one VM of this type in MiB.")
  private Integer memoryMb;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Local Cloud only (its VMs share the operator's host and so run equally fast): how many "
      + "times slower this type is. A TaskFarm worker of this type keeps each task's slot for slowdown times the "
      + "task's own run time before reporting it (default 1).")
  private Double slowdown;

  public InstanceTypeSpec() {}

  public InstanceTypeSpec(String name, double pricePerHour) {
    this.name = name;
    this.pricePerHour = pricePerHour;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Double getPricePerHour() { return pricePerHour; }
  public void setPricePerHour(Double pricePerHour) { this.pricePerHour = pricePerHour; }
  public Integer getCpus() { return cpus; }
  public void setCpus(Integer cpus) { this.cpus = cpus; }
  public Integer getMemoryMb() { return memoryMb; }
  public void setMemoryMb(Integer memoryMb) { this.memoryMb = memoryMb; }
  public Double getSlowdown() { return slowdown; }
  public void setSlowdown(Double slowdown) { this.slowdown = slowdown; }

  /** The slowdown factor, 1 when unset (not a bean getter on purpose). */
  public double slowdownFactor() {
    return slowdown == null ? 1.0 : slowdown;
  }
}
