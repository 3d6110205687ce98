package io.conpaas.iaas.opennebula;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conpaas.iaas.CloudException;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OpenNebulaDriver against the OpenNebula contract server. */
class OpenNebulaDriverTest {
  private static final String PASSWORD = "s3cret-Pa55";

  private OneContractServer one;
  private OpenNebulaConfig config;
  private OpenNebulaDriver driver;

  @BeforeEach
  void start() throws Exception {
    one = OneContractServer.start("conpaas", PASSWORD);
    config = OpenNebulaConfig.of(one.endpoint(), "conpaas", PASSWORD).withNetworkId(0)
        .withRequestTimeout(Duration.ofSeconds(10));
    driver = new OpenNebulaDriver(config);
  }

  @AfterEach
  void stop() {
    one.close();
  }

  private static VmRequest request(String token, String cluster, String agent) {
    return new VmRequest(token, agent, Map.of(VmTags.CLUSTER, cluster, VmTags.AGENT, agent,
        VmTags.AGENT_UID, "uid-" + agent, VmTags.NAMESPACE, "shop"), null,
        ("{\"agentName\":\"" + agent + "\",\"key\":\"-----BEGIN PRIVATE KEY-----\\n...\"}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static int id(VmObservation vm) {
    return Integer.parseInt(vm.instanceId());
  }

  @Test
  void createAllocatesOneVmWithItsNameContextAndTags() {
    VmRequest request = request("token-1", "c1", "hello-agents-0");

    VmObservation vm = driver.create(request);

    assertThat(one.calls("one.vm.allocate")).isEqualTo(1);
    assertThat(one.vms()).hasSize(1);
    OneContractServer.StoredVm stored = one.vms().get(0);
    assertThat(stored.name()).isEqualTo(OpenNebulaDriver.vmNameFor("hello-agents-0", "token-1"))
        .matches("hello-agents-0-[0-9a-f]{8}");
    assertThat(stored.contextualization()).isEqualTo(request.contextualization());
    assertThat(stored.context()).containsEntry("NETWORK", "YES");
    assertThat(stored.userTemplate()).containsEntry("CONPAAS_CLUSTER", "c1")
        .containsEntry("CONPAAS_AGENT", "hello-agents-0")
        .containsEntry("CONPAAS_AGENT_UID", "uid-hello-agents-0")
        .containsEntry("CONPAAS_NAMESPACE", "shop")
        .containsEntry("CONPAAS_CLIENT_TOKEN", "token-1");
    assertThat(stored.templateValue("CPU")).contains("1");
    assertThat(stored.templateValue("VCPU")).contains("1");
    assertThat(stored.templateValue("MEMORY")).contains("1024");
    assertThat(stored.templateVector("NIC"))
        .hasValueSatisfying(nic -> assertThat(nic).containsEntry("NETWORK_ID", "0"));

    assertThat(vm.instanceId()).isEqualTo(stored.instanceId());
    assertThat(vm.clientToken()).isEqualTo("token-1");
    assertThat(vm.name()).isEqualTo(stored.name());
    assertThat(vm.state()).isEqualTo(VmState.PENDING);
    assertThat(vm.tags()).containsAllEntriesOf(request.tags()).containsEntry(VmTags.CLIENT_TOKEN, "token-1");
    assertThat(vm.privateAddress()).isEqualTo(stored.ip()).isNotNull();
    assertThat(vm.agentEndpoint()).as("no endpoint before the VM runs").isNull();
    assertThat(vm.createdAt()).isNotNull();
  }

  @Test
  void createWithTheSameTokenTwiceMakesOneVm() {
    VmObservation first = driver.create(request("token-1", "c1", "hello-agents-0"));
    VmObservation again = driver.create(request("token-1", "c1", "hello-agents-0"));
    // An operator restart: a new driver knows nothing but what OpenNebula stores.
    VmObservation afterRestart = new OpenNebulaDriver(config).create(request("token-1", "c1", "hello-agents-0"));

    assertThat(again.instanceId()).isEqualTo(first.instanceId());
    assertThat(afterRestart.instanceId()).isEqualTo(first.instanceId());
    assertThat(one.calls("one.vm.allocate")).isEqualTo(1);
    assertThat(one.vms()).hasSize(1);

    VmObservation other = driver.create(request("token-2", "c1", "hello-agents-0"));
    assertThat(other.instanceId()).isNotEqualTo(first.instanceId());
    assertThat(one.vms()).hasSize(2);
  }

  @Test
  void createAfterTheTokensVmIsDoneAllocatesANewOne() {
    VmObservation first = driver.create(request("token-1", "c1", "hello-agents-0"));
    one.done(id(first));

    VmObservation second = driver.create(request("token-1", "c1", "hello-agents-0"));

    assertThat(second.instanceId()).isNotEqualTo(first.instanceId());
    assertThat(one.calls("one.vm.allocate")).isEqualTo(2);
  }

  @Test
  void createFromATemplateInstantiatesItWithOurNameContextAndNetwork() {
    one.addTemplate(7, """
        NAME = "debian-12"
        CPU = "2"
        VCPU = "2"
        MEMORY = "2048"
        DISK = [ IMAGE_ID = "3" ]
        NIC = [ NETWORK_ID = "9" ]
        CONTEXT = [ TOKEN = "YES" ]
        """);
    OpenNebulaDriver fromTemplate = new OpenNebulaDriver(config.withTemplateId(7).withNetworkId(1));
    VmRequest request = request("token-1", "c1", "hello-agents-0");

    VmObservation vm = fromTemplate.create(request);

    assertThat(one.calls("one.template.instantiate")).isEqualTo(1);
    assertThat(one.calls("one.vm.allocate")).isZero();
    OneContractServer.StoredVm stored = one.vm(vm.instanceId()).orElseThrow();
    assertThat(stored.name()).isEqualTo(OpenNebulaDriver.vmNameFor("hello-agents-0", "token-1"));
    assertThat(stored.templateValue("CPU")).as("the template's size stays").contains("2");
    assertThat(stored.templateValue("MEMORY")).contains("2048");
    assertThat(stored.templateVector("DISK")).hasValueSatisfying(d -> assertThat(d).containsEntry("IMAGE_ID", "3"));
    assertThat(stored.templateVector("NIC")).hasValueSatisfying(n -> assertThat(n).containsEntry("NETWORK_ID", "1"));
    assertThat(stored.contextualization()).isEqualTo(request.contextualization());
    assertThat(stored.userTemplate()).containsEntry("CONPAAS_CLIENT_TOKEN", "token-1");

    assertThat(fromTemplate.create(request).instanceId()).isEqualTo(vm.instanceId());
    assertThat(one.calls("one.template.instantiate")).isEqualTo(1);
  }

  @Test
  void listFiltersByClusterAndMapsStatesInOneCall() {
    int pending = id(driver.create(request("t-pending", "c1", "a-0")));
    int running = id(driver.create(request("t-running", "c1", "a-1")));
    int failed = id(driver.create(request("t-failed", "c1", "a-2")));
    int done = id(driver.create(request("t-done", "c1", "a-3")));
    int ending = id(driver.create(request("t-ending", "c1", "a-4")));
    int poweredOff = id(driver.create(request("t-off", "c1", "a-5")));
    int otherCluster = id(driver.create(request("t-other", "c2", "b-0")));
    one.running(running, "192.0.2.7");
    one.bootFailure(failed);
    one.done(done);
    one.setState(ending, OneStates.ACTIVE, OneStates.EPILOG);
    one.setState(poweredOff, OneStates.POWEROFF, OneStates.LCM_INIT);
    one.running(otherCluster, "192.0.2.9");
    one.resetCalls();

    List<VmObservation> vms = driver.list("c1");

    assertThat(one.totalCalls()).isEqualTo(1);
    assertThat(one.calls("one.vmpool.infoextended")).isEqualTo(1);
    assertThat(vms).extracting(VmObservation::instanceId).containsExactlyInAnyOrder(
        String.valueOf(pending), String.valueOf(running), String.valueOf(failed), String.valueOf(ending),
        String.valueOf(poweredOff));
    assertThat(vms).allSatisfy(vm -> assertThat(vm.tags()).containsEntry(VmTags.CLUSTER, "c1"));
    Map<String, VmObservation> byId = byId(vms);
    assertThat(byId.get(String.valueOf(pending)).state()).isEqualTo(VmState.PENDING);
    VmObservation up = byId.get(String.valueOf(running));
    assertThat(up.state()).isEqualTo(VmState.RUNNING);
    assertThat(up.publicAddress()).isEqualTo("192.0.2.7");
    assertThat(up.privateAddress()).isEqualTo("192.0.2.7");
    assertThat(up.agentEndpoint()).isEqualTo("192.0.2.7:5555");
    assertThat(up.clientToken()).isEqualTo("t-running");
    assertThat(byId.get(String.valueOf(failed)).state()).isEqualTo(VmState.FAILED);
    assertThat(byId.get(String.valueOf(failed)).agentEndpoint()).isNull();
    assertThat(byId.get(String.valueOf(ending)).state()).isEqualTo(VmState.TERMINATING);
    assertThat(byId.get(String.valueOf(poweredOff)).state()).isEqualTo(VmState.STOPPED);
    assertThat(driver.list("c3")).isEmpty();
  }

  @Test
  void listAndTheTokenLookUpAskOnlyForTheConnectingUsersVms() {
    int mine = id(driver.create(request("t-mine", "c1", "a-0")));
    // Another user of the group whose VM carries the same cluster tag (e.g. the same default id):
    // seen by the group-wide filters, it must never look like one of ours (nor be swept as an orphan).
    one.addVmOfAnotherUser("a-1", Map.of("CONPAAS_CLUSTER", "c1", "CONPAAS_CLIENT_TOKEN", "t-theirs"));

    assertThat(driver.list("c1")).extracting(VmObservation::instanceId).containsExactly(String.valueOf(mine));
    one.emulateBefore58(true);
    assertThat(driver.list("c1")).extracting(VmObservation::instanceId).containsExactly(String.valueOf(mine));
    one.emulateBefore58(false);
    VmObservation created = driver.create(request("t-theirs", "c1", "a-1"));
    assertThat(created.instanceId()).as("a new VM, not the other user's with the same token")
        .isNotEqualTo(String.valueOf(mine)).isEqualTo(String.valueOf(one.vms().size() - 1));
  }

  @Test
  void listOnOpenNebulaBefore58FallsBackToTheWholePoolBodies() {
    driver.create(request("token-1", "c1", "a-0"));
    one.emulateBefore58(true);
    one.resetCalls();

    assertThat(driver.list("c1")).hasSize(1);
    assertThat(driver.list("c1")).hasSize(1);

    assertThat(one.calls("one.vmpool.infoextended")).as("asked once, then remembered").isEqualTo(1);
    assertThat(one.calls("one.vmpool.info")).isEqualTo(2);
  }

  @Test
  void agentEndpointComesFromTheAttributeWhenSet() {
    VmObservation created = driver.create(request("token-1", "c1", "a-0"));
    int id = id(created);
    one.setUserAttribute(id, "CONPAAS_AGENT_ENDPOINT", "127.0.0.1:40123");
    assertThat(driver.list("c1").get(0).agentEndpoint()).as("not while pending").isNull();

    one.running(id, "192.0.2.7");

    VmObservation vm = driver.list("c1").get(0);
    assertThat(vm.agentEndpoint()).isEqualTo("127.0.0.1:40123");
    assertThat(vm.tags()).containsEntry(VmTags.AGENT_ENDPOINT, "127.0.0.1:40123");
  }

  @Test
  void agentEndpointUsesTheConfiguredPortWithoutTheAttribute() {
    int id = id(driver.create(request("token-1", "c1", "a-0")));
    one.running(id, "192.0.2.8");

    assertThat(new OpenNebulaDriver(config.withAgentPort(6000)).list("c1").get(0).agentEndpoint())
        .isEqualTo("192.0.2.8:6000");
  }

  @Test
  void aTestRigCanBootAnAgentFromTheContextOfEachNewVm() {
    List<String> booted = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    one.setListener(new OneContractServer.Listener() {
      @Override
      public void allocated(OneContractServer.StoredVm vm) {
        booted.add(new String(vm.contextualization(), StandardCharsets.UTF_8));
        one.running(vm.id(), "127.0.0.1");
        one.setUserAttribute(vm.id(), "CONPAAS_AGENT_ENDPOINT", "127.0.0.1:" + (40000 + vm.id()));
      }

      @Override
      public void terminated(OneContractServer.StoredVm vm) {
        stopped.add(vm.instanceId());
      }
    });

    VmObservation vm = driver.create(request("token-1", "c1", "a-0"));

    assertThat(booted).singleElement().asString().contains("\"agentName\":\"a-0\"");
    assertThat(vm.state()).isEqualTo(VmState.RUNNING);
    assertThat(vm.agentEndpoint()).isEqualTo("127.0.0.1:" + (40000 + id(vm)));
    driver.terminate(List.of(vm.instanceId()));
    assertThat(stopped).containsExactly(vm.instanceId());
  }

  @Test
  void terminateUsesTerminateHardPerVmAndIgnoresVmsAlreadyGone() {
    int a = id(driver.create(request("token-a", "c1", "a-0")));
    int b = id(driver.create(request("token-b", "c1", "a-1")));
    int gone = id(driver.create(request("token-c", "c1", "a-2")));
    one.running(a, "192.0.2.7");
    one.done(gone);

    driver.terminate(List.of(String.valueOf(a), "999", String.valueOf(b), String.valueOf(gone), "not-a-number"));

    assertThat(one.actions()).containsExactly("terminate-hard " + a, "terminate-hard 999", "terminate-hard " + b,
        "terminate-hard " + gone);
    assertThat(one.vm(a).orElseThrow().state()).isEqualTo(OneStates.DONE);
    assertThat(one.vm(b).orElseThrow().state()).isEqualTo(OneStates.DONE);
    assertThat(driver.list("c1")).isEmpty();
  }

  @Test
  void verifyAcceptsTheAccount() {
    driver.verify();

    assertThat(one.calls("one.user.info")).isEqualTo(1);
  }

  @Test
  void verifyFailsWithAuthFailureForAWrongPasswordWithoutShowingIt() {
    OpenNebulaDriver wrong = new OpenNebulaDriver(config.withPassword("wrong-password"));

    assertThatThrownBy(wrong::verify).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("AuthFailure");
      assertThat(e.retryable()).isFalse();
      assertThat(e.getMessage()).contains("authenticated").doesNotContain("wrong-password").doesNotContain(PASSWORD);
    });
    assertThat(config.withPassword("wrong-password").toString()).doesNotContain("wrong-password");
  }

  @Test
  void verifyFailsWithEndpointUnreachableForAClosedPort() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    OpenNebulaConfig closed = OpenNebulaConfig.of(URI.create("http://127.0.0.1:" + port + "/RPC2"), "conpaas",
        PASSWORD).withRequestTimeout(Duration.ofSeconds(5));

    assertThatThrownBy(() -> new OpenNebulaDriver(closed).verify()).isInstanceOfSatisfying(CloudException.class,
        e -> {
          assertThat(e.reason()).isEqualTo("EndpointUnreachable");
          assertThat(e.retryable()).isTrue();
          assertThat(e.getMessage()).doesNotContain(PASSWORD);
        });
  }

  @Test
  void tagValuesWithQuotesBackslashesAndNewlinesSurviveTheTemplate() {
    String tricky = "\"say \"hi\" \\ path\\to\\\"x\"\nline two, [a] = #b\ttab\n\"";
    // A CR reaches OpenNebula intact, but comes back as LF: XML parsers normalise line ends.
    String withCr = "one\r\ntwo";
    VmRequest request = new VmRequest("token-1", "a-0", Map.of(VmTags.CLUSTER, "c1", VmTags.APPLICATION, tricky,
        VmTags.SERVICE, withCr), null, new byte[] {0, 1, 2, (byte) 0xff});

    driver.create(request);

    assertThat(one.vms().get(0).userTemplate()).containsEntry("CONPAAS_APPLICATION", tricky)
        .containsEntry("CONPAAS_SERVICE", withCr)
        .containsEntry("CONPAAS_CLUSTER", "c1");
    assertThat(one.vms().get(0).contextualization()).containsExactly(0, 1, 2, 0xff);
    assertThat(driver.list("c1").get(0).tags()).containsEntry(VmTags.APPLICATION, tricky);
  }

  @Test
  void aValueTheTemplateSyntaxCannotCarryIsRefusedBeforeAnyVmIsMade() {
    VmRequest request = new VmRequest("token-1", "a-0", Map.of(VmTags.CLUSTER, "c1", VmTags.APPLICATION, "ends\\"),
        null, new byte[0]);

    assertThatThrownBy(() -> driver.create(request)).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("InvalidRequest");
      assertThat(e.retryable()).isFalse();
    });
    assertThat(one.calls("one.vm.allocate")).isZero();
  }

  @Test
  void aTagKeyOutsideTheMappingIsRefused() {
    VmRequest request = new VmRequest("token-1", "a-0", Map.of(VmTags.CLUSTER, "c1", "example.com/x", "y"), null,
        new byte[0]);

    assertThatThrownBy(() -> driver.create(request)).isInstanceOfSatisfying(CloudException.class,
        e -> assertThat(e.reason()).isEqualTo("InvalidRequest"));
    assertThat(one.vms()).isEmpty();
  }

  @Test
  void aDoctypeInsideThePoolDocumentIsRefused() {
    String pool = "<!DOCTYPE VM_POOL [<!ENTITY x SYSTEM \"file:///etc/hostname\">]><VM_POOL>&x;</VM_POOL>";
    one.answerNextWith("<?xml version=\"1.0\"?><methodResponse><params><param><value><array><data>"
        + "<value><boolean>1</boolean></value><value><string>" + pool.replace("&", "&amp;").replace("<", "&lt;")
        + "</string></value><value><i4>0</i4></value></data></array></value></param></params></methodResponse>");

    assertThatThrownBy(() -> driver.list("c1")).isInstanceOfSatisfying(CloudException.class, e -> {
      assertThat(e.reason()).isEqualTo("BadResponse");
      assertThat(e.getMessage()).containsIgnoringCase("DOCTYPE");
    });
  }

  @Test
  void serverErrorsKeepOpenNebulasReasonAndMessage() {
    OneXmlRpcClient client = new OneXmlRpcClient(one.endpoint(), Duration.ofSeconds(5));

    assertThatThrownBy(() -> client.call("one.vm.info", "conpaas:" + PASSWORD, 4711))
        .isInstanceOfSatisfying(OneCallException.class, e -> {
          assertThat(e.reason()).isEqualTo("NotFound");
          assertThat(e.is(OneErrorCode.NO_EXISTS)).isTrue();
          assertThat(e.getMessage()).contains("Error getting virtual machine [4711]");
        });
  }

  private static Map<String, VmObservation> byId(List<VmObservation> vms) {
    return vms.stream().collect(java.util.stream.Collectors.toMap(VmObservation::instanceId, v -> v));
  }
}
