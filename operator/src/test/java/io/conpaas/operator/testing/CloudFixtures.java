package io.conpaas.operator.testing;

import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.CloudProvider;
import io.conpaas.api.v1alpha1.CloudSpec;
import io.conpaas.api.v1alpha1.Ec2CloudSpec;
import io.conpaas.api.v1alpha1.OpenNebulaCloudSpec;
import io.conpaas.api.v1alpha1.SecretRef;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.net.URI;
import java.util.Map;

/** Clouds on the fake EC2 (moto) and OpenNebula (contract server) endpoints, with their Secrets. */
public final class CloudFixtures {
  /** An AMI moto knows in us-east-1. */
  public static final String MOTO_AMI = "ami-12c6146b";

  private CloudFixtures() {}

  public static Secret secret(String namespace, String name, Map<String, String> values) {
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withStringData(values).build();
  }

  public static Cloud ec2(String name, URI endpoint, SecretRef credentials) {
    Ec2CloudSpec ec2 = new Ec2CloudSpec();
    ec2.setRegion("us-east-1");
    ec2.setEndpoint(endpoint.toString());
    ec2.setImageId(MOTO_AMI);
    ec2.setInstanceType("t3.small");
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.EC2);
    spec.setEc2(ec2);
    spec.setCredentialsSecretRef(credentials);
    return cloud(name, spec);
  }

  public static Cloud openNebula(String name, URI endpoint, SecretRef credentials) {
    OpenNebulaCloudSpec one = new OpenNebulaCloudSpec();
    one.setEndpoint(endpoint.toString());
    one.setCpu(1.0);
    one.setMemoryMb(512);
    CloudSpec spec = new CloudSpec();
    spec.setProvider(CloudProvider.OPENNEBULA);
    spec.setOpennebula(one);
    spec.setCredentialsSecretRef(credentials);
    return cloud(name, spec);
  }

  private static Cloud cloud(String name, CloudSpec spec) {
    Cloud c = new Cloud();
    c.setMetadata(new ObjectMetaBuilder().withName(name).build());
    c.setSpec(spec);
    return c;
  }
}
