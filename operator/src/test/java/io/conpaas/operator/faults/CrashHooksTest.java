package io.conpaas.operator.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The crash hook: off without the JVM property, numbering per kind, halting before or after the Nth write. */
class CrashHooksTest {
  @TempDir
  Path dir;

  private final List<Integer> halts = new ArrayList<>();

  @Test
  void theVariableAloneNeverEnablesTheHook() {
    assertThat(CrashHooks.from(null, "api:1", null, halts::add)).isSameAs(CrashHooks.NONE);
    assertThat(CrashHooks.from("yes", "api:1", null, halts::add)).isSameAs(CrashHooks.NONE);
    assertThat(CrashHooks.from(CrashHooks.ENABLED, null, null, halts::add)).isSameAs(CrashHooks.NONE);
    CrashHooks.NONE.beforeWrite(WriteKind.API, "POST /x");
    assertThat(halts).isEmpty();
  }

  @Test
  void haltsBeforeTheNthWriteOfItsKindOnly() {
    CrashHooks hooks = CrashHooks.from(CrashHooks.ENABLED, "cloud:2", null, halts::add);
    hooks.beforeWrite(WriteKind.CLOUD, "create a");
    hooks.beforeWrite(WriteKind.API, "POST /a");
    hooks.beforeWrite(WriteKind.API, "POST /b");
    hooks.afterWrite(WriteKind.CLOUD, "create a");
    assertThat(halts).isEmpty();
    assertThatThrownBy(() -> hooks.beforeWrite(WriteKind.CLOUD, "create b")).isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(halts).containsExactly(CrashHooks.HALT_STATUS);
  }

  @Test
  void afterHaltsOnceTheNthWriteWasAnswered() {
    CrashHooks hooks = CrashHooks.from(CrashHooks.ENABLED, "agent:1:after", null, halts::add);
    hooks.beforeWrite(WriteKind.AGENT, "configure");
    assertThat(halts).isEmpty();
    assertThatThrownBy(() -> hooks.afterWrite(WriteKind.AGENT, "configure")).isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(halts).containsExactly(CrashHooks.HALT_STATUS);
  }

  @Test
  void theWriteLogNumbersEveryWritePerKind() throws Exception {
    Path log = dir.resolve("writes");
    CrashHooks hooks = CrashHooks.from(CrashHooks.ENABLED, null, log.toString(), halts::add);
    hooks.beforeWrite(WriteKind.API, "POST /a");
    hooks.beforeWrite(WriteKind.CLOUD, "create t");
    hooks.beforeWrite(WriteKind.API, "PATCH /b");
    assertThat(Files.readAllLines(log)).containsExactly("api\t1\tPOST.a\t1\tPOST /a", "cloud\t1\tcreate\t1\tcreate t",
        "api\t2\tPATCH.b\t1\tPATCH /b");
    assertThat(halts).isEmpty();
  }

  @Test
  void aPointWithAnOperationCountsOnlyWritesOfThatClassWhateverTheInterleaving() {
    CrashHooks hooks = CrashHooks.from(CrashHooks.ENABLED, "api/POST.agents:2", null, halts::add);
    hooks.beforeWrite(WriteKind.API, "POST /apis/conpaas.io/v1alpha1/namespaces/n/agents");
    hooks.beforeWrite(WriteKind.API, "PATCH /apis/conpaas.io/v1alpha1/namespaces/n/agents/a-0/status");
    hooks.beforeWrite(WriteKind.API, "POST /api/v1/namespaces/n/events");
    assertThat(halts).isEmpty();
    assertThatThrownBy(() -> hooks.beforeWrite(WriteKind.API, "POST /apis/conpaas.io/v1alpha1/namespaces/n/agents"))
        .isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(halts).containsExactly(CrashHooks.HALT_STATUS);

    List<Integer> after = new ArrayList<>();
    CrashHooks answered = CrashHooks.from(CrashHooks.ENABLED, "cloud/createBatch:1:after", null, after::add);
    answered.beforeWrite(WriteKind.CLOUD, "create t1");
    answered.afterWrite(WriteKind.CLOUD, "create t1");
    answered.beforeWrite(WriteKind.CLOUD, "createBatch b x3");
    assertThat(after).isEmpty();
    assertThatThrownBy(() -> answered.afterWrite(WriteKind.CLOUD, "createBatch b x3"))
        .isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(after).containsExactly(CrashHooks.HALT_STATUS);
  }

  @Test
  void anInProcessInstanceWritesNothingOfAnyKindOnceItHalted() {
    CrashHooks hooks = CrashHooks.inProcess("api:2", null, halts::add);
    hooks.beforeWrite(WriteKind.API, "POST /a");
    assertThat(hooks.dead()).isFalse();
    assertThatThrownBy(() -> hooks.beforeWrite(WriteKind.API, "POST /b")).isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(halts).containsExactly(CrashHooks.HALT_STATUS);
    assertThat(hooks.dead()).isTrue();
    // Another thread of the instance: no write of any kind leaves it, and the one in flight never learns its answer.
    for (WriteKind kind : WriteKind.values()) {
      assertThatThrownBy(() -> hooks.beforeWrite(kind, "anything")).isInstanceOf(CrashHooks.InstanceHalted.class);
    }
    assertThatThrownBy(() -> hooks.afterWrite(WriteKind.API, "POST /a")).isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(halts).as("halted once").hasSize(1);
  }

  @Test
  void armingARunningInstanceNumbersItsWritesAfreshAndHaltsAtThePoint() throws Exception {
    CrashHooks hooks = CrashHooks.inProcess(null, null, halts::add);
    hooks.beforeWrite(WriteKind.API, "POST /apis/conpaas.io/v1alpha1/namespaces/n/agents");
    hooks.beforeWrite(WriteKind.API, "POST /apis/conpaas.io/v1alpha1/namespaces/n/agents");
    Path log = dir.resolve("armed.writes");
    hooks.arm("api/POST.agents:2", log);
    hooks.beforeWrite(WriteKind.API, "POST /apis/conpaas.io/v1alpha1/namespaces/n/agents");
    assertThat(halts).as("the writes before arming do not count").isEmpty();
    assertThatThrownBy(() -> hooks.beforeWrite(WriteKind.API, "POST /apis/conpaas.io/v1alpha1/namespaces/n/agents"))
        .isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(halts).containsExactly(CrashHooks.HALT_STATUS);
    assertThat(Files.readAllLines(log)).hasSize(2).first().asString().startsWith("api\t1\tPOST.agents\t1");
  }

  @Test
  void aKilledInstanceRefusesEveryWriteAndCountsWhatIsInFlight() {
    CrashHooks hooks = CrashHooks.inProcess(null, null, halts::add);
    assertThat(hooks.active()).isTrue();
    hooks.beforeWrite(WriteKind.CLOUD, "create a");
    hooks.beforeWrite(WriteKind.AGENT, "configure x");
    assertThat(hooks.inFlight()).isEqualTo(2);
    hooks.afterWrite(WriteKind.AGENT, "configure x");
    assertThat(hooks.inFlight()).isEqualTo(1);
    hooks.kill();
    assertThatThrownBy(() -> hooks.beforeWrite(WriteKind.API, "POST /c")).isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThatThrownBy(() -> hooks.afterWrite(WriteKind.CLOUD, "create a")).isInstanceOf(CrashHooks.InstanceHalted.class);
    assertThat(hooks.inFlight()).isZero();
    assertThat(halts).as("a kill is not a crash point").isEmpty();
  }

  @Test
  void operationsNameTheVerbAndTheResourceWithoutNames() {
    assertThat(WriteOperation.of(WriteKind.API, "PATCH /apis/conpaas.io/v1alpha1/namespaces/n/agents/a-0/status?fieldManager=x"))
        .isEqualTo("PATCH.agents.status");
    assertThat(WriteOperation.of(WriteKind.API, "POST /api/v1/namespaces/n/events -> 201")).isEqualTo("POST.events");
    assertThat(WriteOperation.of(WriteKind.API, "DELETE /apis/conpaas.io/v1alpha1/namespaces/n/agents/a-1"))
        .isEqualTo("DELETE.agents");
    assertThat(WriteOperation.of(WriteKind.API, "PUT /apis/conpaas.io/v1alpha1/clouds/c/status")).isEqualTo("PUT.clouds.status");
    assertThat(WriteOperation.of(WriteKind.API, "POST /api/v1/namespaces")).isEqualTo("POST.namespaces");
    assertThat(WriteOperation.of(WriteKind.CLOUD, "createBatch tok x3")).isEqualTo("createBatch");
    assertThat(WriteOperation.of(WriteKind.AGENT, "bootstrap-install 10.0.0.1:443")).isEqualTo("bootstrap-install");
  }

  @Test
  void badPointsAreRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> CrashPoint.parse("disk:3")).hasMessageContaining("cloud, api or agent");
    assertThatThrownBy(() -> CrashPoint.parse("api")).hasMessageContaining("CONPAAS_TEST_CRASH_AT");
    assertThatThrownBy(() -> CrashPoint.parse("api:0")).hasMessageContaining("from 1");
    assertThat(CrashPoint.parse("api:7:after")).isEqualTo(new CrashPoint(WriteKind.API, 7, true));
    assertThat(CrashPoint.parse("api/PATCH.agents.status:3").toString()).isEqualTo("api/PATCH.agents.status:3");
  }
}
