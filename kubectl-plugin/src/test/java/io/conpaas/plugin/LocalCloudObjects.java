package io.conpaas.plugin;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.InstanceTypeSpec;
import io.conpaas.api.v1alpha1.LocalCloudSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;
import java.util.List;

/**
 * What the plugin ITs with a real operator start from (the operator module's test fixtures are out of
 * this module's reach): a local Cloud on a work dir, with the priced instance types given, and an
 * Application on it.
 */
final class LocalCloudObjects {
  private LocalCloudObjects() {}

  static Cloud localCloud(String name, Path workDir, InstanceTypeSpec... types) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    LocalCloudSpec local = new LocalCloudSpec();
    local.setWorkDir(workDir.toString());
    if (!"root".equals(System.getProperty("user.name"))) {
      local.setAllowUnisolatedRoles(true); // a developer's run: PHP agents run unisolated
    }
    spec.setLocal(local);
    if (types.length > 0) {
      spec.setInstanceTypes(List.of(types));
    }
    c.setSpec(spec);
    return c;
  }

  static Application application(String namespace, String name, String cloud) {
    Application a = new Application();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.setCloud(cloud);
    a.setSpec(spec);
    return a;
  }
}
