package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Ec2Driver behind a proxy that throttles moto the way EC2 does (503 RequestLimitExceeded). */
class Ec2DriverThrottlingTest {
  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();

  private static long instancesInMoto() {
    try (Ec2Client moto = Ec2Clients.builder(Ec2DriverTest.config(MOTO.endpoint()), new ApiCallCounter()).build()) {
      return moto.describeInstancesPaginator(b -> { }).reservations().stream()
          .mapToLong(r -> r.instances().size()).sum();
    }
  }

  @Test
  void createSucceedsAfterThrottledAttemptsWithOneInstance() throws Exception {
    try (ThrottlingProxy proxy = new ThrottlingProxy(MOTO.endpoint(), "RunInstances", 3);
        Ec2Driver driver = Ec2Driver.create(Ec2DriverTest.config(proxy.endpoint()))) {

      VmObservation vm = driver.create(Ec2DriverTest.request("token-1", "c1"));

      assertThat(vm.instanceId()).startsWith("i-");
      assertThat(proxy.throttled()).isEqualTo(3);
      assertThat(driver.apiCalls()).containsEntry("RunInstances", 1L);
      assertThat(driver.apiAttempts()).containsEntry("RunInstances", 4L);
      assertThat(instancesInMoto()).isEqualTo(1);
    }
  }

  @Test
  void throttlingBeyondTheRetriesIsARetryableRequestLimitExceeded() throws Exception {
    ApiCallCounter counter = new ApiCallCounter();
    try (ThrottlingProxy proxy = new ThrottlingProxy(MOTO.endpoint(), "DescribeInstances", Integer.MAX_VALUE);
        Ec2Driver driver = new Ec2Driver(Ec2Clients.builder(Ec2DriverTest.config(proxy.endpoint()), counter,
            Ec2Clients.retryStrategy(2)).build(), Ec2DriverTest.config(proxy.endpoint()), counter)) {

      assertThatThrownBy(() -> driver.list("c1")).isInstanceOfSatisfying(CloudException.class, e -> {
        assertThat(e.reason()).isEqualTo("RequestLimitExceeded");
        assertThat(e.retryable()).isTrue();
      });
      assertThat(driver.apiAttempts()).containsEntry("DescribeInstances", 2L);
      assertThat(proxy.seen("RunInstances")).isZero();
    }
  }
}
