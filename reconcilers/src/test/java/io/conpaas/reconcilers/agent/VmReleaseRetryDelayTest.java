package io.conpaas.reconcilers.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.CloudException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A release the cloud throttled is tried again within seconds; one it refused backs off to minutes. */
class VmReleaseRetryDelayTest {
  @Test
  void aThrottledReleaseNeverWaitsLongerThanTenSeconds() {
    CloudException throttled = new CloudException("RequestLimitExceeded", "rate exceeded", true);
    assertThat(VmRelease.retryDelay(1, throttled)).isEqualTo(Duration.ofSeconds(1));
    assertThat(VmRelease.retryDelay(4, throttled)).isEqualTo(Duration.ofSeconds(8));
    // The storm of SingleFaultIT reached attempt 8 (128 s) and left two VMs running for minutes.
    assertThat(VmRelease.retryDelay(8, throttled)).isEqualTo(Duration.ofSeconds(10));
    assertThat(VmRelease.retryDelay(30, new CloudException("Http429", "slow down", true)))
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void aReleaseTheCloudRefusedBacksOffToFiveMinutes() {
    CloudException refused = new CloudException("UnauthorizedOperation", "not allowed", true);
    assertThat(VmRelease.retryDelay(8, refused)).isEqualTo(Duration.ofSeconds(128));
    assertThat(VmRelease.retryDelay(30, refused)).isEqualTo(Duration.ofMinutes(5));
  }
}
