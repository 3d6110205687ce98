package io.conpaas.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** Credits granted to a namespace; only an administrator may raise them (admission policy). */
public class CreditAccountSpec {
  @Required
  @Min(0)
  @JsonPropertyDescription("Credits granted in total (one credit = one started VM-hour); granting more raises it.")
  private Long credits;

  public CreditAccountSpec() {}

  public CreditAccountSpec(long credits) {
    this.credits = credits;
  }

  public Long getCredits() { return credits; }
  public void setCredits(Long credits) { this.credits = credits; }
}
