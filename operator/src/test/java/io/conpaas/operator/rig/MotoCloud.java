package io.conpaas.operator.rig;

import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.ec2.UserDataCodec;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Tag;

/** moto as the rig sees it: running instances, their user data, and a tag for the agent's endpoint. */
public final class MotoCloud implements FakeCloud, AutoCloseable {
  private final Ec2Client ec2;
  private final Map<String, String> userData = new ConcurrentHashMap<>();

  public MotoCloud(URI endpoint) {
    this.ec2 = Ec2Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("rig", "rig")))
        .httpClient(UrlConnectionHttpClient.create()).build();
  }

  /** The rig's own client on moto (not the operator's, so it does not count in driver calls). */
  public Ec2Client ec2() {
    return ec2;
  }

  @Override
  public List<Instance> liveInstances() {
    return ec2.describeInstancesPaginator().reservations().stream()
        .flatMap(r -> r.instances().stream())
        .filter(i -> i.state().name() == InstanceStateName.RUNNING || i.state().name() == InstanceStateName.PENDING)
        .map(i -> {
          String stored = userData.computeIfAbsent(i.instanceId(), id -> ec2.describeInstanceAttribute(
              b -> b.instanceId(id).attribute(InstanceAttributeName.USER_DATA)).userData().value());
          return new Instance(i.instanceId(), UserDataCodec.decode(stored), stored, Map.of());
        })
        .toList();
  }

  @Override
  public void agentStarted(String instanceId, String endpoint) {
    ec2.createTags(b -> b.resources(instanceId).tags(Tag.builder().key(VmTags.AGENT_ENDPOINT).value(endpoint).build()));
  }

  @Override
  public void close() {
    ec2.close();
  }
}
