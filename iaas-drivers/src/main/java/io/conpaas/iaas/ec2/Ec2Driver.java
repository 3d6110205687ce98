package io.conpaas.iaas.ec2;

import io.conpaas.iaas.BatchRequest;
import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.IaasDriver;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The EC2 cloud, through the AWS SDK for Java v2.
 *
 * <p>Errors surface as CloudExceptions whose reason is the EC2 error code (AuthFailure,
 * InvalidAMIID.NotFound, InsufficientInstanceCapacity, ...), EndpointUnreachable when no answer
 * came, or TokenSpent when EC2 refuses the client token (IdempotentParameterMismatch,
 * IdempotentInstanceTerminated): that token can never start a VM again, so the caller must
 * record a new token before it retries.
 */
public final class Ec2Driver implements IaasDriver, AutoCloseable {
  /** TerminateInstances takes at most this many ids per call. */
  static final int TERMINATE_BATCH = 1000;
  /** Filter values per filter that EC2 accepts. */
  static final int FILTER_VALUES = 200;
  private static final Logger LOG = LoggerFactory.getLogger(Ec2Driver.class);
  private static final List<String> LIVE_STATES = Stream.of(InstanceStateName.PENDING,
      InstanceStateName.RUNNING, InstanceStateName.STOPPING, InstanceStateName.STOPPED,
      InstanceStateName.SHUTTING_DOWN).map(InstanceStateName::toString).toList();

  private final Ec2Client ec2;
  private final Ec2DriverConfig config;
  private final ApiCallCounter counter;
  private final Ec2Errors errors;

  /**
   * A driver on a client of its own, built from the config: static credentials, the
   * URLConnection HTTP client, up to 8 attempts with jittered exponential backoff.
   */
  public static Ec2Driver create(Ec2DriverConfig config) {
    ApiCallCounter counter = new ApiCallCounter();
    return new Ec2Driver(Ec2Clients.builder(config, counter).build(), config, counter);
  }

  /**
   * A driver on the given client, which it closes on {@link #close()}; apiCalls() counts only
   * if the counter is registered on that client as an execution interceptor.
   */
  public Ec2Driver(Ec2Client ec2, Ec2DriverConfig config, ApiCallCounter counter) {
    this.ec2 = ec2;
    this.config = config;
    this.counter = counter;
    this.errors = new Ec2Errors(config.accessKeyId(), config.secretAccessKey());
  }

  /**
   * Looks the token up by tag first, because moto ignores ClientToken (one token, two launches,
   * two instances); RunInstances still passes the token, so real EC2 also covers a crash
   * between the lookup and the launch. A token whose VM was terminated finds nothing here and
   * EC2 then answers TokenSpent.
   */
  @Override
  public VmObservation create(VmRequest request) {
    String userData = UserDataCodec.encode(request.contextualization());
    Optional<Instance> existing = findByToken(request.clientToken());
    if (existing.isPresent()) {
      LOG.debug("client token already started {}", existing.get().instanceId());
      return Ec2Observations.observe(existing.get(), Map.of(), config.agentPort());
    }
    Map<String, String> tags = new LinkedHashMap<>(request.tags());
    tags.put(VmTags.CLIENT_TOKEN, request.clientToken());
    if (request.name() != null && !request.name().isBlank()) {
      tags.put(Ec2Observations.NAME_TAG, request.name());
    }
    RunInstancesRequest.Builder run = runRequest(request.clientToken(), request.instanceType(), tags, userData)
        .minCount(1).maxCount(1);
    Instance instance = call("RunInstances", () -> ec2.runInstances(run.build())).instances().get(0);
    LOG.info("started EC2 instance {} for {}", instance.instanceId(), request.name());
    return Ec2Observations.observe(instance, tags, config.agentPort());
  }

  /** RunInstances count per call: one call starts a whole batch (EC2 takes more; quotas are the limit). */
  static final int MAX_BATCH = 100;

  @Override
  public int maxBatch() {
    return MAX_BATCH;
  }

  /**
   * One RunInstances with MinCount 1 and MaxCount count: EC2 starts as many as it can (partial
   * fulfilment is the caller's to handle), all with the same user data and tags plus the batch token.
   * The token is looked up by tag first (moto ignores ClientToken) and is the ClientToken too, so
   * the SDK's retries of a throttled call and a call repeated after a crash return the same
   * instances instead of new ones.
   */
  @Override
  public List<VmObservation> createBatch(BatchRequest request) {
    List<Instance> existing = findByTag(VmTags.LAUNCH_BATCH, request.batchToken());
    if (!existing.isEmpty()) {
      LOG.debug("batch token {} already started {} instance(s)", request.batchToken(), existing.size());
      return existing.stream().map(i -> Ec2Observations.observe(i, Map.of(), config.agentPort())).toList();
    }
    Map<String, String> tags = new LinkedHashMap<>(request.tags());
    tags.put(VmTags.LAUNCH_BATCH, request.batchToken());
    if (request.name() != null && !request.name().isBlank()) {
      tags.put(Ec2Observations.NAME_TAG, request.name());
    }
    RunInstancesRequest.Builder run = runRequest(request.batchToken(), request.instanceType(), tags,
        UserDataCodec.encode(request.contextualization())).minCount(1).maxCount(request.count());
    List<Instance> started = call("RunInstances", () -> ec2.runInstances(run.build())).instances();
    LOG.info("started {} of {} EC2 instance(s) for batch {} ({})", started.size(), request.count(),
        request.batchToken(), request.name());
    return started.stream().map(i -> Ec2Observations.observe(i, tags, config.agentPort())).toList();
  }

  /** CreateTags: the Agent's own tags on a batch instance, once bound. */
  @Override
  public void label(String instanceId, Map<String, String> tags) {
    List<Tag> ec2Tags = tags.entrySet().stream()
        .map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList();
    call("CreateTags", () -> ec2.createTags(b -> b.resources(instanceId).tags(ec2Tags)));
  }

  private RunInstancesRequest.Builder runRequest(String clientToken, String instanceType, Map<String, String> tags,
      String userData) {
    RunInstancesRequest.Builder run = RunInstancesRequest.builder()
        .clientToken(clientToken)
        .imageId(config.imageId())
        .instanceType(instanceType == null || instanceType.isBlank() ? config.defaultInstanceType() : instanceType)
        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
            .tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build())
                .toList())
            .build())
        .userData(userData);
    if (!config.securityGroupIds().isEmpty()) {
      run.securityGroupIds(config.securityGroupIds());
    }
    if (config.subnetId() != null) {
      run.subnetId(config.subnetId());
    }
    if (config.keyName() != null) {
      run.keyName(config.keyName());
    }
    return run;
  }

  private List<Instance> findByTag(String key, String value) {
    DescribeInstancesRequest describe = DescribeInstancesRequest.builder()
        .filters(filter("tag:" + key, List.of(value)), filter("instance-state-name", LIVE_STATES))
        .build();
    return call("DescribeInstances", () -> ec2.describeInstancesPaginator(describe).reservations().stream()
        .flatMap(r -> r.instances().stream()).toList());
  }

  private Optional<Instance> findByToken(String clientToken) {
    DescribeInstancesRequest describe = DescribeInstancesRequest.builder()
        .filters(filter("tag:" + VmTags.CLIENT_TOKEN, List.of(clientToken)),
            filter("instance-state-name", LIVE_STATES))
        .build();
    // Oldest first, so every caller adopts the same VM should a crash have left two.
    return call("DescribeInstances", () -> ec2.describeInstances(describe)).reservations().stream()
        .flatMap(r -> r.instances().stream())
        .min(Comparator.comparing(Instance::launchTime, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Instance::instanceId));
  }

  @Override
  public List<VmObservation> list(String clusterId) {
    DescribeInstancesRequest describe = DescribeInstancesRequest.builder()
        .filters(filter("tag:" + VmTags.CLUSTER, List.of(clusterId)), filter("instance-state-name", LIVE_STATES))
        .maxResults(config.pageSize())
        .build();
    return call("DescribeInstances", () -> ec2.describeInstancesPaginator(describe).reservations().stream()
        .flatMap(r -> r.instances().stream())
        .filter(i -> i.state() == null || i.state().name() != InstanceStateName.TERMINATED)
        .map(i -> Ec2Observations.observe(i, Map.of(), config.agentPort()))
        .toList());
  }

  @Override
  public void terminate(Collection<String> instanceIds) {
    List<String> ids = new ArrayList<>(new LinkedHashSet<>(
        instanceIds.stream().filter(Objects::nonNull).filter(id -> !id.isBlank()).toList()));
    for (int from = 0; from < ids.size(); from += TERMINATE_BATCH) {
      terminateBatch(ids.subList(from, Math.min(ids.size(), from + TERMINATE_BATCH)));
    }
  }

  /**
   * EC2 rejects the whole batch when one id is unknown, so on NotFound the batch shrinks to the
   * ids EC2 still lists and goes again. Ignoring NotFound is safe because list() finds by tag,
   * not by id: a VM that eventual consistency hid here still shows up at the next resync.
   */
  private void terminateBatch(List<String> batch) {
    List<String> remaining = batch;
    for (int round = 1; ; round++) {
      try {
        List<String> ids = remaining;
        ec2.terminateInstances(b -> b.instanceIds(ids));
        LOG.info("terminated EC2 instances {}", ids);
        return;
      } catch (AwsServiceException e) {
        if (!Ec2Errors.isGone(e)) {
          throw errors.map("TerminateInstances", e);
        }
        if (round == 3) {
          // Listed yet unknown to TerminateInstances: EC2's eventual consistency, worth a retry.
          CloudException mapped = errors.map("TerminateInstances", e);
          throw new CloudException(mapped.reason(), mapped.getMessage(), true, e);
        }
        remaining = existing(remaining);
        if (remaining.isEmpty()) {
          return;
        }
      } catch (SdkException e) {
        throw errors.map("TerminateInstances", e);
      }
    }
  }

  /** Those of the ids that EC2 still lists (terminated ones included: terminating them again is a no-op). */
  private List<String> existing(List<String> ids) {
    List<String> found = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += FILTER_VALUES) {
      DescribeInstancesRequest describe = DescribeInstancesRequest.builder()
          .filters(filter("instance-id", ids.subList(from, Math.min(ids.size(), from + FILTER_VALUES))))
          .build();
      call("DescribeInstances", () -> ec2.describeInstancesPaginator(describe).reservations().stream()
          .flatMap(r -> r.instances().stream()).map(Instance::instanceId).toList())
          .forEach(found::add);
    }
    return found;
  }

  /** One DescribeInstances of at most 5 results: needs the same permission list() does, costs little. */
  @Override
  public void verify() {
    DescribeInstancesRequest describe = DescribeInstancesRequest.builder()
        .filters(filter("tag-key", List.of(VmTags.CLUSTER)))
        .maxResults(5)
        .build();
    call("DescribeInstances", () -> ec2.describeInstances(describe));
  }

  /** EC2 calls made by this driver, per operation name (for benchmarks and metrics). */
  public Map<String, Long> apiCalls() {
    return counter.calls();
  }

  /** HTTP attempts per operation name, retries included. */
  public Map<String, Long> apiAttempts() {
    return counter.attempts();
  }

  @Override
  public void close() {
    ec2.close();
  }

  private <T> T call(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (SdkException e) {
      CloudException mapped = errors.map(operation, e);
      LOG.debug("{} failed: {}", operation, mapped.getMessage());
      throw mapped;
    }
  }

  private static Filter filter(String name, Collection<String> values) {
    return Filter.builder().name(name).values(values).build();
  }
}
