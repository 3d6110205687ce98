package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One API's token bucket on a simulated Cloud. */
public class SimulatedApiRate {
  @Required
  @Min(1)
  @Max(1000000)
  @JsonPropertyDescription("Calls the bucket holds (how many may come at once).")
  private Double burst;

  @Required
  @Min(0.001)
  @Max(1000000)
  @JsonPropertyDescription("Calls added back per second.")
  private Double perSecond;

  public Double getBurst() { return burst; }
  public void setBurst(Double burst) { this.burst = burst; }
  public Double getPerSecond() { return perSecond; }
  public void setPerSecond(Double perSecond) { this.perSecond = perSecond; }
}
