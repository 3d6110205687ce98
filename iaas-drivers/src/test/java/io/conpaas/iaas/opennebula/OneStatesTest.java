package io.conpaas.iaas.opennebula;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.VmState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** OpenNebula STATE / LCM_STATE numbers reduced to VmState. */
class OneStatesTest {
  @ParameterizedTest(name = "STATE {0} LCM_STATE {1} -> {2}")
  @CsvSource({
      "0, 0, PENDING",      // INIT
      "1, 0, PENDING",      // PENDING
      "2, 0, PENDING",      // HOLD
      "10, 0, PENDING",     // CLONING
      "3, 0, PENDING",      // ACTIVE/LCM_INIT
      "3, 1, PENDING",      // ACTIVE/PROLOG
      "3, 2, PENDING",      // ACTIVE/BOOT
      "3, 20, PENDING",     // ACTIVE/BOOT_POWEROFF: coming back up
      "3, 3, RUNNING",      // ACTIVE/RUNNING
      "3, 4, RUNNING",      // ACTIVE/MIGRATE
      "3, 17, RUNNING",     // ACTIVE/HOTPLUG
      "3, 69, RUNNING",     // ACTIVE/BACKUP
      "3, 11, TERMINATING", // ACTIVE/EPILOG
      "3, 12, TERMINATING", // ACTIVE/SHUTDOWN
      "3, 15, TERMINATING", // ACTIVE/CLEANUP_RESUBMIT
      "3, 23, TERMINATING", // ACTIVE/CLEANUP_DELETE
      "3, 14, FAILED",      // ACTIVE/FAILURE (old)
      "3, 16, STOPPED",     // ACTIVE/UNKNOWN: not monitored right now, not dead
      "3, 36, FAILED",      // ACTIVE/BOOT_FAILURE
      "3, 39, FAILED",      // ACTIVE/PROLOG_FAILURE
      "3, 18, STOPPED",     // ACTIVE/SHUTDOWN_POWEROFF: powered off behind our back, disks kept
      "3, 10, STOPPED",     // ACTIVE/EPILOG_STOP
      "3, 999, FAILED",     // an LCM state newer than this code
      "4, 0, STOPPED",      // STOPPED
      "5, 0, STOPPED",      // SUSPENDED
      "7, 0, FAILED",       // FAILED (reserved)
      "8, 0, STOPPED",      // POWEROFF
      "9, 0, STOPPED",      // UNDEPLOYED
      "11, 0, FAILED",      // CLONING_FAILURE
  })
  void mapsToVmState(int state, int lcmState, VmState expected) {
    assertThat(OneStates.toVmState(state, lcmState)).contains(expected);
  }

  @Test
  void doneVmsAreGone() {
    assertThat(OneStates.toVmState(OneStates.DONE, 0)).isEmpty();
  }
}
