package io.conpaas.operator.testing;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationSpec;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.HelloWorldService;
import io.conpaas.api.v1alpha1.JavaService;
import io.conpaas.api.v1alpha1.JavaServiceSpec;
import io.conpaas.api.v1alpha1.PhpService;
import io.conpaas.api.v1alpha1.PhpServiceSpec;
import io.conpaas.api.v1alpha1.RoleSpec;
import io.conpaas.api.v1alpha1.ScaleRoleSpec;
import io.conpaas.api.v1alpha1.HelloWorldServiceSpec;
import io.conpaas.api.v1alpha1.LocalCloudSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.file.Path;

/** Builders for the objects tests apply. */
public final class Fixtures {
  private Fixtures() {}

  public static Cloud localCloud(String name, Path workDir) {
    TestOperator.trackWorkDir(workDir);
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.LOCAL);
    LocalCloudSpec local = new LocalCloudSpec();
    local.setWorkDir(workDir.toString());
    // Tests run by a normal user are development: their PHP/Java/MySQL agents run unisolated.
    if (!io.conpaas.iaas.local.LocalIsolation.runningAsRoot()) {
      local.setAllowUnisolatedRoles(true);
    }
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

  /** A PhpService with the given backends and one web server and one proxy. */
  public static PhpService php(String namespace, String name, String application, int backends) {
    PhpService s = new PhpService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
        .build());
    PhpServiceSpec spec = new PhpServiceSpec();
    spec.setApplication(application);
    spec.setBackend(new ScaleRoleSpec(backends));
    spec.setWeb(new RoleSpec(1));
    spec.setProxy(new RoleSpec(1));
    s.setSpec(spec);
    return s;
  }

  /** A JavaService with one node per role. */
  public static JavaService java(String namespace, String name, String application) {
    JavaService s = new JavaService();
    s.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name)
        .build());
    JavaServiceSpec spec = new JavaServiceSpec();
    spec.setApplication(application);
    spec.setBackend(new ScaleRoleSpec(1));
    spec.setWeb(new RoleSpec(1));
    spec.setProxy(new RoleSpec(1));
    s.setSpec(spec);
    return s;
  }
}
