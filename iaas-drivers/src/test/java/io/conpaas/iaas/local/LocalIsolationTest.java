package io.conpaas.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local cloud's default work directory. */
class LocalIsolationTest {
  @Test
  void theDefaultWorkDirIsOneEveryVmAccountCanReachAsRootAndTheUsersStateDirOtherwise() {
    // Not under /root: the VMs' accounts could not pass through it (the new user's failure).
    assertThat(LocalIsolation.defaultWorkDir(true, Map.of(), "/root")).hasToString("/var/lib/conpaas/local");
    assertThat(LocalIsolation.defaultWorkDir(false, Map.of(), "/home/ann"))
        .hasToString("/home/ann/.local/state/conpaas/local");
    assertThat(LocalIsolation.defaultWorkDir(false, Map.of("XDG_STATE_HOME", "/srv/ann/state"), "/home/ann"))
        .hasToString("/srv/ann/state/conpaas/local");
    assertThat(LocalIsolation.defaultWorkDir(false, Map.of("XDG_STATE_HOME", "relative"), "/home/ann"))
        .hasToString("/home/ann/.local/state/conpaas/local");
  }
}
