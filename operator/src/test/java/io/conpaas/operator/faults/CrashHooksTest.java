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
    hooks.beforeWrite(WriteKind.CLOUD, "create b");
    assertThat(halts).containsExactly(CrashHooks.HALT_STATUS);
  }

  @Test
  void afterHaltsOnceTheNthWriteWasAnswered() {
    CrashHooks hooks = CrashHooks.from(CrashHooks.ENABLED, "agent:1:after", null, halts::add);
    hooks.beforeWrite(WriteKind.AGENT, "configure");
    assertThat(halts).isEmpty();
    hooks.afterWrite(WriteKind.AGENT, "configure");
    assertThat(halts).containsExactly(CrashHooks.HALT_STATUS);
  }

  @Test
  void theWriteLogNumbersEveryWritePerKind() throws Exception {
    Path log = dir.resolve("writes");
    CrashHooks hooks = CrashHooks.from(CrashHooks.ENABLED, null, log.toString(), halts::add);
    hooks.beforeWrite(WriteKind.API, "POST /a");
    hooks.beforeWrite(WriteKind.CLOUD, "create t");
    hooks.beforeWrite(WriteKind.API, "PATCH /b");
    assertThat(Files.readAllLines(log)).containsExactly("api\t1\tPOST /a", "cloud\t1\tcreate t", "api\t2\tPATCH /b");
    assertThat(halts).isEmpty();
  }

  @Test
  void badPointsAreRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> CrashPoint.parse("disk:3")).hasMessageContaining("cloud, api or agent");
    assertThatThrownBy(() -> CrashPoint.parse("api")).hasMessageContaining("CONPAAS_TEST_CRASH_AT");
    assertThatThrownBy(() -> CrashPoint.parse("api:0")).hasMessageContaining("from 1");
    assertThat(CrashPoint.parse("api:7:after")).isEqualTo(new CrashPoint(WriteKind.API, 7, true));
  }
}
