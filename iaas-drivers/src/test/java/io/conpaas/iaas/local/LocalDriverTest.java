package io.conpaas.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalDriver with real processes standing in for agents. */
class LocalDriverTest {
  /**
   * A stand-in agent: tail keeps the context file path (hence the instance id) on its command
   * line, which LocalDriver checks, and --pid ends it if this test JVM dies.
   */
  private static final AgentLauncher TAIL = contextFile -> List.of("tail", "-f",
      "--pid=" + ProcessHandle.current().pid(), contextFile.toString());

  @TempDir
  Path workDir;
  private LocalDriver driver;
  private final List<Long> foreignPids = new ArrayList<>();

  @BeforeEach
  void newDriver() {
    driver = new LocalDriver(workDir, TAIL);
  }

  @AfterEach
  void killLeftovers() {
    ProcessHandle.current().descendants()
        .filter(p -> foreignPids.contains(p.pid())
            || p.info().commandLine().map(c -> c.contains(workDir.toString())).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  private static VmRequest request(String token, String cluster) {
    return new VmRequest(token, "hello-agents-0", Map.of(VmTags.CLUSTER, cluster, VmTags.AGENT, "hello-agents-0"),
        null, "{\"agentName\":\"hello-agents-0\"}".getBytes(StandardCharsets.UTF_8));
  }

  private static long processesRunning(String instanceId) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().map(c -> c.contains(instanceId)).orElse(false)).count();
  }

  private Optional<ProcessHandle> process(String instanceId) {
    return new LocalVmDirectory(workDir.resolve(instanceId)).pid().flatMap(ProcessHandle::of);
  }

  private Optional<VmObservation> observed(String cluster, String instanceId) {
    return driver.list(cluster).stream().filter(o -> o.instanceId().equals(instanceId)).findFirst();
  }

  @Test
  void instanceIdIsDeterministicPerClientToken() {
    assertThat(LocalDriver.instanceIdFor("token-1")).isEqualTo(LocalDriver.instanceIdFor("token-1"))
        .matches("local-[0-9a-f]{12}");
    assertThat(LocalDriver.instanceIdFor("token-2")).isNotEqualTo(LocalDriver.instanceIdFor("token-1"));
  }

  @Test
  void createStartsARunningVmWithItsContext() throws Exception {
    VmObservation vm = driver.create(request("token-1", "c1"));

    assertThat(vm.instanceId()).isEqualTo(LocalDriver.instanceIdFor("token-1"));
    assertThat(vm.state()).isEqualTo(VmState.RUNNING);
    assertThat(vm.clientToken()).isEqualTo("token-1");
    assertThat(vm.name()).isEqualTo("hello-agents-0");
    assertThat(vm.tags()).containsEntry(VmTags.CLUSTER, "c1").containsEntry(VmTags.AGENT, "hello-agents-0");
    Path context = workDir.resolve(vm.instanceId()).resolve("context.json");
    assertThat(Files.readString(context)).isEqualTo("{\"agentName\":\"hello-agents-0\"}");
    // The context holds the agent's private key.
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(context))).isEqualTo("rw-------");
  }

  @Test
  void createIsIdempotentPerClientToken() {
    VmObservation first = driver.create(request("token-1", "c1"));
    VmObservation again = new LocalDriver(workDir, TAIL).create(request("token-1", "c1"));

    assertThat(again.instanceId()).isEqualTo(first.instanceId());
    assertThat(again.createdAt()).isEqualTo(first.createdAt());
    assertThat(processesRunning(first.instanceId())).isEqualTo(1);
  }

  @Test
  void listReturnsOnlyVmsOfTheCluster() {
    VmObservation mine = driver.create(request("token-1", "c1"));
    driver.create(request("token-2", "c2"));

    assertThat(driver.list("c1")).extracting(VmObservation::instanceId).containsExactly(mine.instanceId());
    assertThat(driver.list("nobody")).isEmpty();
  }

  @Test
  void terminateKillsTheProcessAndTheVmLeavesTheList() {
    VmObservation vm = driver.create(request("token-1", "c1"));
    ProcessHandle process = process(vm.instanceId()).orElseThrow();

    driver.terminate(List.of(vm.instanceId(), "local-000000000000"));

    await().atMost(Duration.ofSeconds(20)).until(() -> driver.list("c1").isEmpty());
    assertThat(process.isAlive()).isFalse();
    assertThat(workDir.resolve(vm.instanceId())).doesNotExist();
  }

  @Test
  void vmWhoseProcessDiedIsFailed() {
    VmObservation vm = driver.create(request("token-1", "c1"));

    process(vm.instanceId()).orElseThrow().destroyForcibly();

    await().atMost(Duration.ofSeconds(20))
        .until(() -> observed("c1", vm.instanceId()).map(VmObservation::state), s -> s.equals(Optional.of(VmState.FAILED)));
  }

  @Test
  void processNotCarryingTheInstanceIdIsNotTakenForTheVm() {
    // A recycled pid: alive, but running something else than this VM's agent.
    LocalDriver foreign = new LocalDriver(workDir, contextFile -> List.of("bash", "-c",
        "exec -a conpaas-test-agent sleep 300", contextFile.toString()));
    VmObservation vm = foreign.create(request("token-1", "c1"));
    ProcessHandle process = process(vm.instanceId()).orElseThrow();
    foreignPids.add(process.pid());

    // Once bash has exec'd sleep, the command line no longer names the VM.
    await().atMost(Duration.ofSeconds(20))
        .until(() -> observed("c1", vm.instanceId()).map(VmObservation::state), s -> s.equals(Optional.of(VmState.FAILED)));
    foreign.terminate(List.of(vm.instanceId()));
    assertThat(process.isAlive()).isTrue();
  }
}
