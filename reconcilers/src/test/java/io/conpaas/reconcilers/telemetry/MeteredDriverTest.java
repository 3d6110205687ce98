package io.conpaas.reconcilers.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every driver call is counted per Cloud and API; failures as errors, throttling as throttles too. */
class MeteredDriverTest {
  /** A driver whose list answers, whose terminate is throttled and whose verify fails otherwise. */
  private static final class ScriptedDriver implements IaasDriver {
    @Override
    public VmObservation create(VmRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<VmObservation> list(String clusterId) {
      return List.of();
    }

    @Override
    public void terminate(Collection<String> instanceIds) {
      throw new CloudException("RequestLimitExceeded", "slow down", true);
    }

    @Override
    public void verify() {
      throw new CloudException("AuthFailure", "bad key", false);
    }
  }

  @Test
  void callsErrorsAndThrottlesPerApi() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MeteredDriver driver = new MeteredDriver(new ScriptedDriver(), "c", new CloudApiMetrics(registry));
    assertThat(registry.get("conpaas.cloud.api.throttles").tags("cloud", "c", "api", "create").counter().count())
        .as("registered at zero").isZero();

    driver.list("k");
    driver.list("k");
    assertThatThrownBy(() -> driver.terminate(List.of("i-1"))).isInstanceOf(CloudException.class);
    assertThatThrownBy(driver::verify).hasMessage("bad key");

    assertThat(registry.get("conpaas.cloud.api.calls").tags("cloud", "c", "api", "list").timer().count()).isEqualTo(2);
    assertThat(registry.get("conpaas.cloud.api.errors").tags("api", "list").counter().count()).isZero();
    assertThat(registry.get("conpaas.cloud.api.calls").tags("api", "terminate").timer().count()).isEqualTo(1);
    assertThat(registry.get("conpaas.cloud.api.errors").tags("api", "terminate").counter().count()).isEqualTo(1);
    assertThat(registry.get("conpaas.cloud.api.throttles").tags("api", "terminate").counter().count()).isEqualTo(1);
    assertThat(registry.get("conpaas.cloud.api.errors").tags("api", "verify").counter().count()).isEqualTo(1);
    assertThat(registry.get("conpaas.cloud.api.throttles").tags("api", "verify").counter().count()).isZero();
  }

  @Test
  void everyDriverMethodIsPassedThroughNotLeftToItsDefault() {
    // A default method added to IaasDriver (e.g. statusNote, the qemu Cloud's accelerator) would otherwise answer
    // the default for every metered driver: the Cloud's Ready message lost the accelerator once this way.
    for (java.lang.reflect.Method m : io.conpaas.iaas.IaasDriver.class.getMethods()) {
      org.assertj.core.api.Assertions.assertThatCode(() -> MeteredDriver.class.getDeclaredMethod(m.getName(),
          m.getParameterTypes())).as("MeteredDriver declares " + m.getName()).doesNotThrowAnyException();
    }
  }
}
