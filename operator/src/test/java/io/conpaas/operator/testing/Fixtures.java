package io.conpaas.operator.testing;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import io.conpaas.api.v1alpha1.LocalCloudSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;

/** Builders for the objects tests apply. */
public final class Fixtures {
  private Fixtures() {}

  public static Cloud localCloud(String name, Path workDir) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    LocalCloudSpec local = new LocalCloudSpec();
    local.setWorkDir(workDir.toString());
    spec.setLocal(local);
    c.setSpec(spec);
    return c;
  }

  public static Application application(String namespace, String name, String cloud) {
    Application a = new Application();
    a.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ApplicationSpec spec = new ApplicationSpec();
    spec.setCloud(cloud);
    a.setSpec(spec);
    return a;
  }

  public static HelloWorldService helloWorld(String namespace, String name, String application, int nodes,
      String message) {
    HelloWorldService s = new HelloWorldService();
    s.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    HelloWorldServiceSpec spec = new HelloWorldServiceSpec();
    spec.setApplication(application);
    spec.setAgents(new ScaleRoleSpec(nodes));
    spec.setMessage(message);
    s.setSpec(spec);
    return s;
  }
}
