package io.conpaas.operator;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.agent.api.AgentContext;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.Ec2CloudSpec;
import io.conpaas.api.v1alpha1.OpenNebulaCloudSpec;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.ec2.Ec2Driver;
import io.conpaas.iaas.ec2.Ec2DriverConfig;
import io.conpaas.iaas.opennebula.OpenNebulaConfig;
import io.conpaas.iaas.opennebula.OpenNebulaDriver;
import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.iaas.local.LocalNetworkSettings;
import io.conpaas.api.v1alpha1.LocalCloudSpec;
import io.conpaas.reconcilers.cloud.CloudCredentials;
import io.conpaas.reconcilers.cloud.DriverFactory;
import io.conpaas.api.v1alpha1.SimulatedCloudSpec;
import io.conpaas.iaas.simulated.ApiRate;
import io.conpaas.iaas.simulated.SimulatedClouds;
import io.conpaas.iaas.simulated.SimulatedConfig;
import io.conpaas.iaas.simulated.SimulatedDriver;
import io.conpaas.simulated.SimulatedAgentListener;
import java.net.URI;
import java.util.Map;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds drivers for the providers this build supports from a Cloud's spec and Secret; owns the
 * simulated clouds it opened and their agents' listener until {@link #close()}.
 */
public final class CloudDriverFactory implements DriverFactory, AutoCloseable {
  /** Keys of an EC2 Cloud's credentials Secret. */
  public static final String EC2_ACCESS_KEY_ID = "accessKeyId";
  public static final String EC2_SECRET_ACCESS_KEY = "secretAccessKey";
  /** Keys of an OpenNebula Cloud's credentials Secret. */
  public static final String ONE_USERNAME = "username";
  public static final String ONE_PASSWORD = "password";
  private static final Duration ONE_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Path defaultLocalWorkDir;
  private final AgentLauncher localLauncher;

  public CloudDriverFactory(Path defaultLocalWorkDir, AgentLauncher localLauncher) {
    this.defaultLocalWorkDir = defaultLocalWorkDir;
    this.localLauncher = localLauncher;
  }

  @Override
  public IaasDriver create(Cloud cloud, CloudCredentials credentials) {
    CloudProvider provider = cloud.getSpec().getProvider();
    if (provider == CloudProvider.LOCAL) {
      LocalCloudSpec local = cloud.getSpec().getLocal();
      String dir = local == null ? null : local.getWorkDir();
      Path workDir = dir == null || dir.isBlank()
          ? defaultLocalWorkDir.resolve(cloud.getMetadata().getName()) : Path.of(dir);
      boolean allowUnisolated = local != null && Boolean.TRUE.equals(local.getAllowUnisolatedRoles());
      try {
        return new LocalDriver(workDir, localLauncher, LocalIsolation.forThisProcess(allowUnisolated),
            new LocalNetworkSettings(local != null && Boolean.TRUE.equals(local.getIsolateNetwork()),
                local == null ? null : local.getNetwork()));
      } catch (IllegalArgumentException e) {
        throw new CloudException("InvalidCloudSpec", e.getMessage(), false, e);
      }
    }
    if (provider == CloudProvider.EC2) {
      return ec2(cloud.getSpec().getEc2(), credentials);
    }
    if (provider == CloudProvider.OPENNEBULA) {
      return openNebula(cloud.getSpec().getOpennebula(), credentials);
    }
    if (provider == CloudProvider.QEMU) {
      return qemu(cloud.getSpec().getQemu(), defaultLocalWorkDir.resolve(cloud.getMetadata().getName()));
    }
    if (provider == CloudProvider.SIMULATED) {
      return simulated(cloud.getSpec().getSimulated(), defaultLocalWorkDir.resolve(cloud.getMetadata().getName()));
    }
    throw new CloudException("ProviderNotSupported", "provider " + provider
        + " is not supported by this operator build yet", false);
  }

  /** The simulated clouds of this operator and the one listener of their agents, made with the first such Cloud. */
  private SimulatedClouds simulatedClouds;
  private SimulatedAgentListener simulatedAgents;

  private synchronized SimulatedClouds simulatedClouds() {
    if (simulatedClouds == null) {
      // Workers mostly wait for the operator's side of each handshake (its threads share the CPU with
      // everything else): 8 made calls queue past the operator's 12 s bound with 100 agents on 2 cores.
      simulatedAgents = new SimulatedAgentListener(64, java.time.Clock.systemUTC());
      simulatedClouds = new SimulatedClouds(simulatedAgents);
    }
    return simulatedClouds;
  }

  /**
   * Stops the simulated agents and forgets the simulated clouds, as the end of the process does: a
   * new operator reads the VMs back from their journals. Other providers' VMs are the cloud's.
   */
  @Override
  public synchronized void close() {
    if (simulatedAgents != null) {
      simulatedAgents.close();
      simulatedClouds.close();
      simulatedAgents = null;
      simulatedClouds = null;
    }
  }

  /** A simulated Cloud; its VM journal and agents' keys go where a local Cloud of the same name keeps its VMs. */
  private IaasDriver simulated(SimulatedCloudSpec spec, Path stateDir) {
    SimulatedCloudSpec s = spec == null ? new SimulatedCloudSpec() : spec;
    try {
      Map<String, ApiRate> rates = new java.util.TreeMap<>();
      if (s.getApiRates() != null) {
        s.getApiRates().forEach((api, r) -> rates.put(api, new ApiRate(r.getBurst(), r.getPerSecond())));
      }
      return new SimulatedDriver(SimulatedConfig.of(stateDir, s.getBootSeconds(), s.getFailureRate(),
          s.getDescribeLagSeconds(), rates, s.getAgentPort() == null ? AgentContext.DEFAULT_PORT : s.getAgentPort(),
          s.getAnswerDelaySeconds()),
          simulatedClouds(), java.time.Clock.systemUTC());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new CloudException("InvalidCloudSpec", "spec.simulated: " + e.getMessage(), false, e);
    }
  }

  /** A qemu driver; its VMs' directories go where a local Cloud of the same name would keep its own. */
  private static IaasDriver qemu(io.conpaas.api.v1alpha1.QemuCloudSpec spec, Path workDir) {
    if (spec == null || spec.getImage() == null || spec.getImage().isBlank()) {
      throw new CloudException("InvalidCloudSpec", "spec.qemu.image is required for provider qemu", false);
    }
    try {
      return new io.conpaas.iaas.qemu.QemuDriver(io.conpaas.iaas.qemu.QemuConfig.of(Path.of(spec.getImage()),
          spec.getMemoryMb(), spec.getCpus(), spec.getNetwork(), workDir, AgentContext.DEFAULT_PORT,
          spec.getAccelerator()));
    } catch (IllegalArgumentException e) {
      throw new CloudException("InvalidCloudSpec", "spec.qemu: " + e.getMessage(), false, e);
    }
  }

  /** An OpenNebula driver; the Secret holds username and password. */
  private static IaasDriver openNebula(OpenNebulaCloudSpec spec, CloudCredentials credentials) {
    if (spec == null) {
      throw new CloudException("InvalidCloudSpec", "spec.opennebula is required for provider opennebula", false);
    }
    try {
      return new OpenNebulaDriver(new OpenNebulaConfig(URI.create(spec.getEndpoint()),
          credentials.require(ONE_USERNAME), credentials.require(ONE_PASSWORD), spec.getTemplateId(),
          spec.getNetworkId(), spec.getImageId(), spec.getCpu(), spec.getMemoryMb(), AgentContext.DEFAULT_PORT,
          ONE_REQUEST_TIMEOUT));
    } catch (IllegalArgumentException e) {
      throw new CloudException("InvalidCloudSpec", "spec.opennebula: " + e.getMessage(), false, e);
    }
  }

  /** An EC2 driver; the Secret holds accessKeyId and secretAccessKey. */
  private static IaasDriver ec2(Ec2CloudSpec spec, CloudCredentials credentials) {
    if (spec == null) {
      throw new CloudException("InvalidCloudSpec", "spec.ec2 is required for provider ec2", false);
    }
    try {
      URI endpoint = spec.getEndpoint() == null || spec.getEndpoint().isBlank() ? null : URI.create(spec.getEndpoint());
      return Ec2Driver.create(new Ec2DriverConfig(spec.getRegion(), endpoint, spec.getImageId(),
          spec.getInstanceType(), spec.getSecurityGroupIds(), spec.getSubnetId(), spec.getKeyName(),
          credentials.require(EC2_ACCESS_KEY_ID), credentials.require(EC2_SECRET_ACCESS_KEY),
          AgentContext.DEFAULT_PORT));
    } catch (IllegalArgumentException e) {
      throw new CloudException("InvalidCloudSpec", "spec.ec2: " + e.getMessage(), false, e);
    }
  }
}
