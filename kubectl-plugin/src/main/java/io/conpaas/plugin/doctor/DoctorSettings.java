package io.conpaas.plugin.doctor;

import java.time.Duration;
import java.util.List;

/** What the doctor looks for: where the operator runs, its Lease, the skew tolerated, which Clouds. */
public record DoctorSettings(String operatorNamespace, String leaseName, Duration maxSkew, List<String> clouds,
    Duration timeout, String pluginVersion) {
  public DoctorSettings {
    clouds = List.copyOf(clouds);
  }
}
