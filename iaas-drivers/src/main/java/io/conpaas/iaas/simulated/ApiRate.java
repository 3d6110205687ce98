package io.conpaas.iaas.simulated;

/** An EC2-style token bucket's size: burst calls at once, refilled at perSecond calls per second. */
public record ApiRate(double burst, double perSecond) {
  public ApiRate {
    if (!(burst >= 1) || !(perSecond > 0)) {
      throw new IllegalArgumentException("an API rate needs burst >= 1 and perSecond > 0");
    }
  }
}
