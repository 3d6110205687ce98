package io.conpaas.iaas.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

/** Ec2Driver against a real moto server. */
class Ec2DriverTest {
  @RegisterExtension
  static final MotoServer MOTO = new MotoServer();
  /** One of moto's default AMIs in us-east-1 (moto does not check the AMI on RunInstances anyway). */
  static final String AMI = "ami-12c6146b";
  static final String KEY_ID = "AKIDMOTOTESTKEY";
  static final String SECRET = "moto-test-secret-key";

  private final List<Ec2Driver> drivers = new ArrayList<>();
  private Ec2Client moto;

  static Ec2DriverConfig config(URI endpoint) {
    return new Ec2DriverConfig("us-east-1", endpoint, AMI, "t3.small", List.of(), "", "", KEY_ID, SECRET,
        Ec2DriverConfig.DEFAULT_AGENT_PORT);
  }

  static VmRequest request(String token, String cluster, String name, Map<String, String> extraTags, String context) {
    Map<String, String> tags = new HashMap<>(Map.of(VmTags.CLUSTER, cluster, VmTags.AGENT, name));
    tags.putAll(extraTags);
    return new VmRequest(token, name, tags, null, context.getBytes(StandardCharsets.UTF_8));
  }

  static VmRequest request(String token, String cluster) {
    return request(token, cluster, "hello-agents-" + token, Map.of(), "{\"agentName\":\"" + token + "\"}");
  }

  @BeforeEach
  void inspector() {
    // A client of its own, so inspecting moto never shows in a driver's call counts.
    moto = Ec2Clients.builder(config(MOTO.endpoint()), new ApiCallCounter()).build();
  }

  @AfterEach
  void close() {
    drivers.forEach(Ec2Driver::close);
    moto.close();
  }

  private Ec2Driver driver(Ec2DriverConfig config) {
    Ec2Driver driver = Ec2Driver.create(config);
    drivers.add(driver);
    return driver;
  }

  private Ec2Driver driver() {
    return driver(config(MOTO.endpoint()));
  }

  private List<Instance> instances(Filter... filters) {
    return moto.describeInstancesPaginator(b -> b.filters(filters)).reservations().stream()
        .flatMap(r -> r.instances().stream()).toList();
  }

  private Instance instance(String id) {
    return moto.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
  }

  private String rawUserData(String id) {
    return moto.describeInstanceAttribute(b -> b.instanceId(id).attribute(InstanceAttributeName.USER_DATA))
        .userData().value();
  }

  private static Filter filter(String name, String value) {
    return Filter.builder().name(name).values(value).build();
  }

  private static long calls(Ec2Driver driver, String operation) {
    return driver.apiCalls().getOrDefault(operation, 0L);
  }

  @Test
  void createLaunchesATaggedInstanceWithTheContextAsUserData() {
    Ec2Driver driver = driver();
    String context = "{\"agentName\":\"web-0\",\"role\":\"backend\"}";

    VmObservation vm = driver.create(request("token-1", "c1", "wp-web-backend-0",
        Map.of(VmTags.ROLE, "backend"), context));

    assertThat(vm.instanceId()).startsWith("i-");
    assertThat(vm.clientToken()).isEqualTo("token-1");
    assertThat(vm.name()).isEqualTo("wp-web-backend-0");
    assertThat(vm.state()).isIn(VmState.PENDING, VmState.RUNNING);
    Instance launched = instance(vm.instanceId());
    assertThat(Ec2Observations.tags(launched))
        .containsEntry(VmTags.CLUSTER, "c1")
        .containsEntry(VmTags.AGENT, "wp-web-backend-0")
        .containsEntry(VmTags.ROLE, "backend")
        .containsEntry(VmTags.CLIENT_TOKEN, "token-1")
        .containsEntry("Name", "wp-web-backend-0");
    assertThat(launched.imageId()).isEqualTo(AMI);
    assertThat(launched.instanceTypeAsString()).isEqualTo("t3.small");
    String userData = rawUserData(vm.instanceId());
    assertThat(Base64.getDecoder().decode(userData)).asString(StandardCharsets.UTF_8).isEqualTo(context);
    assertThat(UserDataCodec.decode(userData)).asString(StandardCharsets.UTF_8).isEqualTo(context);
  }

  @Test
  void createUsesTheRequestedInstanceType() {
    VmRequest request = new VmRequest("token-1", "big-0", Map.of(VmTags.CLUSTER, "c1"), "m5.large",
        "{}".getBytes(StandardCharsets.UTF_8));

    VmObservation vm = driver().create(request);

    assertThat(instance(vm.instanceId()).instanceTypeAsString()).isEqualTo("m5.large");
  }

  @Test
  void largeContextTravelsGzipped() {
    String context = "{\"files\":[" + IntStream.range(0, 2000)
        .mapToObj(i -> "{\"path\":\"/etc/conpaas/file-" + i + "\",\"mode\":\"0644\"}")
        .collect(Collectors.joining(",")) + "]}";
    assertThat(context.length()).isGreaterThan(40_000);

    VmObservation vm = driver().create(request("token-1", "c1", "big-0", Map.of(), context));

    String userData = rawUserData(vm.instanceId());
    assertThat(userData.length()).isLessThanOrEqualTo(16 * 1024);
    assertThat(UserDataCodec.isGzip(Base64.getDecoder().decode(userData))).isTrue();
    assertThat(UserDataCodec.decode(userData)).asString(StandardCharsets.UTF_8).isEqualTo(context);
  }

  @Test
  void contextThatCannotFitIsRefusedBeforeAnyCall() {
    byte[] noise = new byte[20_000];
    new Random(7).nextBytes(noise);
    Ec2Driver driver = driver();

    assertThatThrownBy(() -> driver.create(request("token-1", "c1", "noisy-0", Map.of(),
        Base64.getEncoder().encodeToString(noise))))
        .isInstanceOfSatisfying(CloudException.class, e -> {
          assertThat(e.reason()).isEqualTo("UserDataTooLarge");
          assertThat(e.retryable()).isFalse();
        });
    assertThat(driver.apiCalls()).isEmpty();
    assertThat(instances()).isEmpty();
  }

  @Test
  void sameTokenTwiceMakesOneInstance() {
    Ec2Driver driver = driver();
    VmObservation first = driver.create(request("token-1", "c1"));
    // A restarted operator: a new driver, the token recorded in the Agent's status.
    Ec2Driver restarted = driver();
    VmObservation again = restarted.create(request("token-1", "c1"));

    assertThat(again.instanceId()).isEqualTo(first.instanceId());
    assertThat(again.clientToken()).isEqualTo("token-1");
    assertThat(instances(filter("tag:" + VmTags.CLIENT_TOKEN, "token-1"))).hasSize(1);
    assertThat(calls(driver, "RunInstances") + calls(restarted, "RunInstances")).isEqualTo(1);
    assertThat(calls(restarted, "DescribeInstances")).isEqualTo(1);
  }

  @Test
  void differentTokensMakeTwoInstances() {
    Ec2Driver driver = driver();

    VmObservation one = driver.create(request("token-1", "c1"));
    VmObservation two = driver.create(request("token-2", "c1"));

    assertThat(two.instanceId()).isNotEqualTo(one.instanceId());
    assertThat(instances()).hasSize(2);
  }

  @Test
  void listReturnsOnlyTheClustersVmsWithTheirStates() {
    Ec2Driver driver = driver();
    VmObservation forwarded = driver.create(request("token-fwd", "c1", "fwd-0",
        Map.of(VmTags.AGENT_ENDPOINT, "127.0.0.1:40001"), "{}"));
    VmObservation plain = driver.create(request("token-plain", "c1"));
    VmObservation stopped = driver.create(request("token-stopped", "c1"));
    VmObservation terminated = driver.create(request("token-terminated", "c1"));
    VmObservation foreign = driver.create(request("token-foreign", "c2"));

    moto.stopInstances(b -> b.instanceIds(stopped.instanceId()));
    moto.terminateInstances(b -> b.instanceIds(terminated.instanceId()));

    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      Map<String, VmObservation> listed = driver.list("c1").stream()
          .collect(Collectors.toMap(VmObservation::instanceId, o -> o));
      assertThat(listed).doesNotContainKey(foreign.instanceId());
      assertThat(listed.get(forwarded.instanceId())).satisfies(o -> {
        assertThat(o.state()).isEqualTo(VmState.RUNNING);
        assertThat(o.agentEndpoint()).isEqualTo("127.0.0.1:40001");
        assertThat(o.clientToken()).isEqualTo("token-fwd");
        assertThat(o.name()).isEqualTo("fwd-0");
        assertThat(o.tags()).containsEntry(VmTags.CLUSTER, "c1").containsEntry(VmTags.AGENT, "fwd-0");
        assertThat(o.createdAt()).isNotNull();
      });
      assertThat(listed.get(plain.instanceId())).satisfies(o -> {
        assertThat(o.state()).isEqualTo(VmState.RUNNING);
        assertThat(o.publicAddress()).isNotBlank();
        assertThat(o.privateAddress()).isNotBlank();
        assertThat(o.agentEndpoint()).isEqualTo(o.publicAddress() + ":5555");
      });
      assertThat(listed.get(stopped.instanceId())).satisfies(o -> {
        assertThat(o.state()).isEqualTo(VmState.STOPPED);
        assertThat(o.agentEndpoint()).isNull();
      });
      // moto terminates at once; EC2 would show shutting-down (TERMINATING) for a while first.
      if (instance(terminated.instanceId()).state().nameAsString().equals("terminated")) {
        assertThat(listed).doesNotContainKey(terminated.instanceId());
      } else {
        assertThat(listed.get(terminated.instanceId()).state()).isEqualTo(VmState.TERMINATING);
      }
    });
    assertThat(driver.list("c2")).extracting(VmObservation::instanceId).containsExactly(foreign.instanceId());
    assertThat(driver.list("nobody")).isEmpty();
  }

  @Test
  void listReadsAllPagesInOneCallPerPage() {
    Ec2Driver creator = driver();
    for (int i = 0; i < 12; i++) {
      creator.create(request("token-" + i, "big"));
    }
    creator.create(request("token-small", "small"));
    Ec2Driver paged = driver(config(MOTO.endpoint()).withPageSize(5));
    Ec2Driver unpaged = driver();

    List<VmObservation> listed = paged.list("big");

    assertThat(listed).hasSize(12).extracting(VmObservation::clientToken)
        .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 12).mapToObj(i -> "token-" + i).toList());
    // 12 instances, 5 per page: 3 DescribeInstances, whatever the number of VMs.
    assertThat(paged.apiCalls()).containsExactly(Map.entry("DescribeInstances", 3L));
    assertThat(unpaged.list("big")).hasSize(12);
    assertThat(unpaged.apiCalls()).containsExactly(Map.entry("DescribeInstances", 1L));
  }

  @Test
  void terminateReleasesAllIdsInOneCall() {
    Ec2Driver driver = driver();
    List<String> ids = IntStream.range(0, 3).mapToObj(i -> driver.create(request("token-" + i, "c1")).instanceId())
        .toList();
    long before = calls(driver, "TerminateInstances");

    driver.terminate(ids);

    assertThat(calls(driver, "TerminateInstances") - before).isEqualTo(1);
    assertThat(ids).allSatisfy(id -> assertThat(instance(id).state().nameAsString())
        .isIn("shutting-down", "terminated"));
    await().atMost(Duration.ofSeconds(20)).until(() -> driver.list("c1").isEmpty());
  }

  @Test
  void terminateIgnoresIdsAlreadyGone() {
    Ec2Driver driver = driver();
    String live = driver.create(request("token-1", "c1")).instanceId();

    driver.terminate(List.of("i-0123456789abcdef0", live));

    assertThat(instance(live).state().nameAsString()).isIn("shutting-down", "terminated");
    driver.terminate(List.of(live));
    driver.terminate(List.of("i-0123456789abcdef0"));
  }

  @Test
  void terminateOfNothingCallsNothing() {
    Ec2Driver driver = driver();

    driver.terminate(List.of());

    assertThat(driver.apiCalls()).isEmpty();
  }

  @Test
  void terminateSendsAtMostAThousandIdsPerCall() {
    Ec2Driver driver = driver();
    String live = driver.create(request("token-1", "c1")).instanceId();
    List<String> ids = new ArrayList<>(IntStream.range(0, 1000).mapToObj(i -> String.format("i-%017x", i)).toList());
    ids.add(live);
    long before = calls(driver, "TerminateInstances");

    driver.terminate(ids);

    // Batch 1 (1000 unknown ids): refused, none left. Batch 2 (the live VM): one call.
    assertThat(calls(driver, "TerminateInstances") - before).isEqualTo(2);
    assertThat(instance(live).state().nameAsString()).isIn("shutting-down", "terminated");
  }

  @Test
  void verifyPassesAgainstMoto() {
    driver().verify();
  }

  @Test
  void verifyReportsAnUnreachableEndpoint() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Ec2Driver driver = driver(config(URI.create("http://127.0.0.1:" + closedPort)));

    assertThatThrownBy(driver::verify).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("EndpointUnreachable");
      assertThat(e.retryable()).isTrue();
      assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(KEY_ID);
    });
  }

  @Test
  void invalidParameterIsNotRetryableAndCarriesTheEc2Code() {
    Ec2DriverConfig bad = new Ec2DriverConfig("us-east-1", MOTO.endpoint(), AMI, "t3.small",
        List.of("sg-12345678"), null, null, KEY_ID, SECRET, 5555);
    Ec2Driver driver = driver(bad);

    assertThatThrownBy(() -> driver.create(request("token-1", "c1"))).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("InvalidGroup.NotFound");
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("sg-12345678").doesNotContain(SECRET).doesNotContain(KEY_ID);
    });
    assertThat(instances()).isEmpty();
  }
}
