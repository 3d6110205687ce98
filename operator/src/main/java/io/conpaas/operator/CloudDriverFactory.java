package io.conpaas.operator;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.reconcilers.cloud.CloudCredentials;
import io.conpaas.reconcilers.cloud.DriverFactory;
import java.nio.file.Path;

/** Builds drivers for the providers this build supports (local; EC2 and OpenNebula later). */
public final class CloudDriverFactory implements DriverFactory {
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
      String dir = cloud.getSpec().getLocal() == null ? null : cloud.getSpec().getLocal().getWorkDir();
      Path workDir = dir == null || dir.isBlank()
          ? defaultLocalWorkDir.resolve(cloud.getMetadata().getName()) : Path.of(dir);
      return new LocalDriver(workDir, localLauncher);
    }
    throw new CloudException("ProviderNotSupported", "provider " + provider
        + " is not supported by this operator build yet", false);
  }
}
