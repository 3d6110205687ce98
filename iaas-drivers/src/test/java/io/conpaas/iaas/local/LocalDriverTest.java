package io.conpaas.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;


import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
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
    // No per-VM accounts here (tests of those say so), whoever runs the tests.
    driver = new LocalDriver(workDir, TAIL, new LocalIsolation(false, false));
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
    VmObservation again = new LocalDriver(workDir, TAIL, new LocalIsolation(false, false)).create(request("token-1", "c1"));

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
  void theAgentGetsAnAllowListedEnvironmentNotTheOperators() throws Exception {
    Map<String, String> operatorEnv = Map.of("PATH", "/opt/tools/bin:/usr/bin:/bin", "LANG", "C.UTF-8",
        "LC_ALL", "C.UTF-8", "KUBECONFIG", "/root/.kube/config", "AWS_SECRET_ACCESS_KEY", "operator-secret",
        "CONPAAS_CLUSTER_ID", "prod", "HOME", "/root", "JAVA_TOOL_OPTIONS", "-Dx=y");
    LocalDriver scrubbing = new LocalDriver(workDir, TAIL, new LocalIsolation(false, false), operatorEnv);

    VmObservation vm = scrubbing.create(request("token-1", "c1"));

    Path dir = workDir.resolve(vm.instanceId()).toAbsolutePath();
    Map<String, String> env = environ(process(vm.instanceId()).orElseThrow().pid());
    assertThat(env).containsOnlyKeys("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "CONPAAS_AGENT_BIND",
        "CONPAAS_AGENT_PORT", "CONPAAS_AGENT_PORT_FILE", "CONPAAS_AGENT_EXIT_FILE",
        "CONPAAS_AGENT_SHARED_NETWORK");
    assertThat(env).containsEntry("PATH", "/opt/tools/bin:/usr/bin:/bin").containsEntry("HOME", dir.toString())
        .containsEntry("TMPDIR", dir.resolve("tmp").toString())
        .containsEntry("CONPAAS_AGENT_EXIT_FILE", dir.resolve("exit-reason").toString());
  }

  @Test
  void theDevelopmentSettingAndTheVmAccountReachTheAgent() throws Exception {
    LocalDriver allowing = new LocalDriver(workDir, TAIL, new LocalIsolation(false, true), Map.of());

    VmObservation vm = allowing.create(request("token-1", "c1"));

    assertThat(environ(process(vm.instanceId()).orElseThrow().pid()))
        .containsEntry("CONPAAS_AGENT_ALLOW_UNISOLATED_ROLES", "true")
        .containsEntry("PATH", AgentEnvironment.DEFAULT_PATH)
        .doesNotContainKey("CONPAAS_AGENT_VM_USER");
  }

  @Test
  void withoutVmAccountsTheVmDirectoryAndItsFilesAreTheOperatorsAlone() throws Exception {
    LocalDriver plain = new LocalDriver(workDir, TAIL, new LocalIsolation(false, false), Map.of());

    VmObservation vm = plain.create(request("token-1", "c1"));

    Path dir = workDir.resolve(vm.instanceId());
    assertThat(mode(dir)).isEqualTo("rwx------");
    for (String f : List.of("context.json", "meta.properties", "agent.log", "pid")) {
      assertThat(mode(dir.resolve(f))).as(f).isEqualTo("rw-------");
    }
  }

  @Test
  void asRootEachVmHasItsOwnAccountThatReachesOnlyItsOwnDirectory() throws Exception {
    assumeTrue(LocalIsolation.runningAsRoot(), "creating accounts needs root");
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    LocalDriver isolating = new LocalDriver(workDir.resolve("cloud"), TAIL, new LocalIsolation(true, false),
        Map.of());
    VmObservation a = isolating.create(request("token-a", "c1"));
    VmObservation b = isolating.create(request("token-b", "c1"));
    String accountA = VmAccounts.nameFor(a.instanceId());
    String accountB = VmAccounts.nameFor(b.instanceId());
    Path dirA = workDir.resolve("cloud").resolve(a.instanceId());
    Path dirB = workDir.resolve("cloud").resolve(b.instanceId());
    try {
      assertThat(VmAccounts.exists(accountA)).isTrue();
      assertThat(environ(process(a.instanceId(), workDir.resolve("cloud")).orElseThrow().pid()))
          .containsEntry("CONPAAS_AGENT_VM_USER", accountA);
      assertThat(mode(workDir.resolve("cloud"))).isEqualTo("rwx--x--x");
      assertThat(mode(dirA)).isEqualTo("rwx--x---");
      assertThat(Files.readAttributes(dirA, PosixFileAttributes.class).group().getName()).isEqualTo(accountA);
      assertThat(mode(dirA.resolve("context.json"))).isEqualTo("rw-------");
      // A's account enters its directory and writes its tmp/, but reads neither its context nor B's files.
      assertThat(runAs(accountA, "test -x " + dirA + " && touch " + dirA.resolve("tmp/x"))).isZero();
      assertThat(runAs(accountA, "cat " + dirA.resolve("context.json"))).isNotZero();
      assertThat(runAs(accountA, "ls " + dirA)).isNotZero();
      assertThat(runAs(accountA, "cat " + dirB.resolve("meta.properties"))).isNotZero();
      assertThat(runAs(accountA, "test -x " + dirB)).isNotZero();
      assertThat(runAs(accountB, "cat " + dirA.resolve("tmp/x"))).isNotZero();
    } finally {
      isolating.terminate(List.of(a.instanceId(), b.instanceId()));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> isolating.list("c1").isEmpty());
    assertThat(VmAccounts.exists(accountA)).isFalse();
    assertThat(VmAccounts.exists(accountB)).isFalse();
  }

  @Test
  void accountsOfVmsWhoseDirectoryIsGoneAreSweptAndOthersStay() throws Exception {
    assumeTrue(LocalIsolation.runningAsRoot(), "creating accounts needs root");
    Path gone = Files.createDirectory(workDir.resolve("local-0000000000aa"));
    Path kept = Files.createDirectory(workDir.resolve("local-0000000000bb"));
    VmAccounts.ensure(VmAccounts.nameFor("local-0000000000aa"), gone);
    VmAccounts.ensure(VmAccounts.nameFor("local-0000000000bb"), kept);
    try {
      Files.delete(gone);

      VmAccounts.sweepNow();

      assertThat(VmAccounts.exists(VmAccounts.nameFor("local-0000000000aa"))).isFalse();
      assertThat(VmAccounts.exists(VmAccounts.nameFor("local-0000000000bb"))).isTrue();
    } finally {
      VmAccounts.remove(VmAccounts.nameFor("local-0000000000aa"));
      VmAccounts.remove(VmAccounts.nameFor("local-0000000000bb"));
    }
  }

  @Test
  void withVmAccountsTheDriverFindsTheDirectoryOthersCannotEnter() throws Exception {
    Path closed = Files.createDirectory(workDir.resolve("closed"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    LocalDriver isolating = new LocalDriver(closed.resolve("cloud"), TAIL, new LocalIsolation(true, false), Map.of());

    isolating.verify();

    assertThat(isolating.unreachableAncestor()).contains(closed);
    assertThat(mode(closed.resolve("cloud"))).isEqualTo("rwx--x--x");
    assertThat(new LocalDriver(workDir.resolve("open"), TAIL, new LocalIsolation(true, false), Map.of())
        .unreachableAncestor()).isEmpty();
  }

  @Test
  void anAgentThatRecordedAConfigurationErrorIsAPermanentFailureWithItsOwnReason() {
    LocalDriver failing = new LocalDriver(workDir, contextFile -> List.of("sh", "-c",
        "echo starting; printf 'status=78\\nreason=www-data cannot reach /root/x\\n' > \"$CONPAAS_AGENT_EXIT_FILE\";"
            + " echo 'conpaas agent cannot start: www-data cannot reach /root/x' >&2; exit 78", contextFile.toString()),
        new LocalIsolation(false, false), Map.of());

    VmObservation vm = failing.create(request("token-1", "c1"));

    await().atMost(Duration.ofSeconds(20)).until(() -> observed(failing, "c1", vm.instanceId()).orElseThrow(),
        o -> o.state() == VmState.FAILED);
    VmObservation failed = observed(failing, "c1", vm.instanceId()).orElseThrow();
    assertThat(failed.stateReason()).isEqualTo("www-data cannot reach /root/x");
    assertThat(failed.permanentFailure()).isTrue();
  }

  @Test
  void anAgentThatDiedWithoutARecordIsFailedWithItsLogsLastWordsAndMayBeRetried() {
    LocalDriver crashing = new LocalDriver(workDir, contextFile -> List.of("sh", "-c",
        "echo 'Exception in thread main: out of luck, password=hunter2'; echo '    at x.y(Z.java:1)'; exit 1",
        contextFile.toString()), new LocalIsolation(false, false), Map.of());

    VmObservation vm = crashing.create(request("token-1", "c1"));

    await().atMost(Duration.ofSeconds(20)).until(() -> observed(crashing, "c1", vm.instanceId()).orElseThrow(),
        o -> o.state() == VmState.FAILED);
    VmObservation failed = observed(crashing, "c1", vm.instanceId()).orElseThrow();
    assertThat(failed.stateReason()).isEqualTo("agent exited: Exception in thread main: out of luck, password=[removed]");
    assertThat(failed.permanentFailure()).isFalse();
  }

  @Test
  void aRunningVmHasNoReason() {
    VmObservation vm = driver.create(request("token-1", "c1"));

    assertThat(vm.stateReason()).isNull();
    assertThat(vm.permanentFailure()).isFalse();
  }

  private static String mode(Path p) throws java.io.IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, java.nio.file.LinkOption.NOFOLLOW_LINKS));
  }

  private static Map<String, String> environ(long pid) throws java.io.IOException {
    Map<String, String> env = new java.util.TreeMap<>();
    for (String entry : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0")) {
      int eq = entry.indexOf('=');
      if (eq > 0) {
        env.put(entry.substring(0, eq), entry.substring(eq + 1));
      }
    }
    return env;
  }

  private static int runAs(String account, String shell) throws Exception {
    Process p = new ProcessBuilder("setpriv", "--reuid=" + account, "--regid=" + account, "--clear-groups", "--",
        "sh", "-c", shell).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    assertThat(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private Optional<VmObservation> observed(LocalDriver d, String cluster, String instanceId) {
    return d.list(cluster).stream().filter(o -> o.instanceId().equals(instanceId)).findFirst();
  }

  private Optional<ProcessHandle> process(String instanceId, Path cloudDir) {
    return new LocalVmDirectory(cloudDir.resolve(instanceId)).pid().flatMap(ProcessHandle::of);
  }

  @Test
  void processNotCarryingTheInstanceIdIsNotTakenForTheVm() {
    // A recycled pid: alive, but running something else than this VM's agent.
    LocalDriver foreign = new LocalDriver(workDir, contextFile -> List.of("bash", "-c",
        "exec -a conpaas-test-agent sleep 300", contextFile.toString()), new LocalIsolation(false, false));
    VmObservation vm = foreign.create(request("token-1", "c1"));
    ProcessHandle process = process(vm.instanceId()).orElseThrow();
    foreignPids.add(process.pid());

    // Once bash has exec'd sleep, the command line no longer names the VM.
    await().atMost(Duration.ofSeconds(20))
        .until(() -> observed("c1", vm.instanceId()).map(VmObservation::state), s -> s.equals(Optional.of(VmState.FAILED)));
    foreign.terminate(List.of(vm.instanceId()));
    assertThat(process.isAlive()).isTrue();
  }

  @Test
  void serversLeftByAnAgentKilledWithoutWarningGoWithItsVm() throws Exception {
    // The stand-in agent leaves a server that is no longer its descendant (reparented to init), as
    // a daemonised nginx master is when its agent is SIGKILLed.
    LocalDriver leaving = new LocalDriver(workDir, contextFile -> List.of("sh", "-c",
        "(sleep 617 &); exec tail -f --pid=" + ProcessHandle.current().pid() + " " + contextFile),
        new LocalIsolation(false, false));
    VmObservation vm = leaving.create(request("token-1", "c1"));
    ProcessHandle agent = process(vm.instanceId()).orElseThrow();
    ProcessHandle server = await().atMost(Duration.ofSeconds(20)).until(() -> ProcessSessions.members(agent.pid())
        .filter(p -> p.info().commandLine().map(c -> c.contains("sleep 617")).orElse(false)).findFirst(),
        Optional::isPresent).orElseThrow();
    foreignPids.add(server.pid());
    try {
      assertThat(agent.descendants()).doesNotContain(server);

      agent.destroyForcibly();
      await().atMost(Duration.ofSeconds(20)).until(() -> !agent.isAlive());
      leaving.terminate(List.of(vm.instanceId()));

      await().atMost(Duration.ofSeconds(20)).until(() -> observed(leaving, "c1", vm.instanceId()).isEmpty());
      assertThat(server.isAlive()).isFalse();
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void theSessionIsReadFromAStatLineWhoseCommandHoldsSpacesAndParentheses() {
    assertThat(ProcessSessions.sessionField("4242 (php-fpm: pool (x) y) S 1 4240 4240 0 -1 4194624"))
        .hasValue(4240);
    assertThat(ProcessSessions.sessionField("garbage")).isEmpty();
  }
}
