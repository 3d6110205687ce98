package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.agent.api.AgentJson;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.operator.testing.TestOperator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent that cannot run with its setup dies at start, and the local cloud reports the VM
 * FAILED with the agent's own one-line reason, marked permanent (no new VM would fare better):
 * the new user's case of the issue (root agent, www-data cannot reach the work dir) and a non-root
 * agent refusing a tenant role.
 */
class LocalAgentStartFailureIT {
  @TempDir
  Path workDir;
  private final List<LocalDriver> drivers = new ArrayList<>();

  @AfterEach
  void terminate() {
    drivers.forEach(d -> d.terminate(d.list("c1").stream().map(VmObservation::instanceId).toList()));
  }

  private static VmRequest request(String serviceKind, String role) throws Exception {
    byte[] context = AgentJson.mapper().writeValueAsBytes(new AgentContext("shop-web-0", "ns", "shop", serviceKind,
        role, 0, "not a certificate", "not a key", "not a ca", Map.of()));
    return new VmRequest("token-" + role, "shop-web-0", Map.of(VmTags.CLUSTER, "c1", VmTags.AGENT, "shop-web-0"),
        null, context);
  }

  private VmObservation failed(LocalDriver driver, VmObservation vm) {
    drivers.add(driver);
    return await().atMost(Duration.ofSeconds(60)).until(() -> driver.list("c1").stream()
        .filter(o -> o.instanceId().equals(vm.instanceId())).findFirst().orElseThrow(), o -> o.state() == VmState.FAILED);
  }

  @Test
  void aRootAgentWithoutVmAccountsWhoseWorkerCannotReachItsDirectoryIsAPermanentFailureWithItsReason()
      throws Exception {
    assumeTrue(LocalIsolation.runningAsRoot(), "the worker user exists only for a root agent");
    // As before per-VM accounts: servers drop to www-data, which cannot pass the private temp dir.
    LocalDriver driver = new LocalDriver(workDir, TestOperator.agentLauncher(), new LocalIsolation(false, false));

    VmObservation vm = failed(driver, driver.create(request("PhpService", "web")));

    assertThat(vm.stateReason()).startsWith("www-data (the user application code runs as) cannot reach")
        .contains("chmod o+x");
    assertThat(vm.permanentFailure()).isTrue();
  }

  @Test
  void aNonRootAgentRefusesATenantRoleNamingTheDevelopmentSetting() throws Exception {
    // The agent knows whether it is root by user.name: this launcher makes it believe it is not.
    AgentLauncher asAnn = contextFile -> {
      List<String> cmd = new ArrayList<>(TestOperator.agentLauncher().command(contextFile));
      cmd.add(1, "-Duser.name=ann");
      return cmd;
    };
    LocalDriver driver = new LocalDriver(workDir, asAnn, new LocalIsolation(false, false));

    VmObservation vm = failed(driver, driver.create(request("PhpService", "backend")));

    assertThat(vm.stateReason()).startsWith("PhpService/backend refused: the agent runs as ann, not root")
        .contains("spec.local.allowUnisolatedRoles: true");
    assertThat(vm.permanentFailure()).isTrue();
  }
}
