package io.conpaas.iaas.opennebula;

import io.conpaas.iaas.VmState;
import java.util.Optional;
import java.util.Set;

/**
 * OpenNebula's VM STATE and LCM_STATE numbers (the LCM state matters only while ACTIVE), and how
 * they reduce to a VmState.
 *
 * <p>Work OpenNebula does on a live VM (migrations, hotplug, snapshots, backups) counts as
 * RUNNING; a VM stopped, suspended, powered off or undeployed behind our back, or UNKNOWN (the
 * host is not monitored right now), is STOPPED: its disks are still there and it may come back,
 * so it is not taken for dead. Only failures OpenNebula reports as such are FAILED.
 */
final class OneStates {
  static final int INIT = 0;
  static final int PENDING = 1;
  static final int HOLD = 2;
  static final int ACTIVE = 3;
  static final int STOPPED = 4;
  static final int SUSPENDED = 5;
  static final int DONE = 6;
  static final int FAILED = 7; // reserved; no longer used by OpenNebula
  static final int POWEROFF = 8;
  static final int UNDEPLOYED = 9;
  static final int CLONING = 10;
  static final int CLONING_FAILURE = 11;

  static final int LCM_INIT = 0;
  static final int PROLOG = 1;
  static final int BOOT = 2;
  static final int RUNNING = 3;
  static final int EPILOG = 11;
  static final int SHUTDOWN = 12;
  static final int CLEANUP_RESUBMIT = 15;
  static final int UNKNOWN = 16;
  static final int CLEANUP_DELETE = 23;
  static final int BOOT_FAILURE = 36;
  static final int PROLOG_FAILURE = 39;

  /** ACTIVE sub-states on the way up: first boot, or a resume after stop/suspend/poweroff/undeploy. */
  private static final Set<Integer> STARTING = Set.of(LCM_INIT, PROLOG, BOOT,
      9 /* PROLOG_RESUME */, 20 /* BOOT_POWEROFF */, 21 /* BOOT_SUSPENDED */, 22 /* BOOT_STOPPED */,
      31 /* PROLOG_UNDEPLOY */, 32 /* BOOT_UNDEPLOY */);

  /** ACTIVE sub-states of a live VM that return to RUNNING by themselves. */
  private static final Set<Integer> LIVE = Set.of(RUNNING, 4 /* MIGRATE */, 7 /* SAVE_MIGRATE */,
      8 /* PROLOG_MIGRATE */, 17 /* HOTPLUG */, 24 /* HOTPLUG_SNAPSHOT */, 25 /* HOTPLUG_NIC */,
      26 /* HOTPLUG_SAVEAS */, 35 /* BOOT_MIGRATE */, 57 /* DISK_SNAPSHOT */, 59 /* DISK_SNAPSHOT_DELETE */,
      62 /* DISK_RESIZE */, 66 /* HOTPLUG_RESIZE */, 69 /* BACKUP */);

  /** ACTIVE sub-states of a VM that is unseen or going down with its disks kept (not dead). */
  private static final Set<Integer> OFF = Set.of(UNKNOWN, 5 /* SAVE_STOP */, 6 /* SAVE_SUSPEND */,
      10 /* EPILOG_STOP */, 18 /* SHUTDOWN_POWEROFF */, 29 /* SHUTDOWN_UNDEPLOY */, 30 /* EPILOG_UNDEPLOY */);

  /** ACTIVE sub-states of a VM being released for good. */
  private static final Set<Integer> ENDING = Set.of(EPILOG, SHUTDOWN, CLEANUP_RESUBMIT, CLEANUP_DELETE);

  private OneStates() {}

  /**
   * The VmState of a VM in these states; empty for DONE (the VM is gone). Everything else,
   * including LCM states newer than this code (*_FAILURE, work on a stopped VM), is FAILED.
   */
  static Optional<VmState> toVmState(int state, int lcmState) {
    return switch (state) {
      case DONE -> Optional.empty();
      case INIT, PENDING, HOLD, CLONING -> Optional.of(VmState.PENDING);
      case ACTIVE -> Optional.of(active(lcmState));
      case STOPPED, SUSPENDED, POWEROFF, UNDEPLOYED -> Optional.of(VmState.STOPPED);
      default -> Optional.of(VmState.FAILED); // FAILED, CLONING_FAILURE
    };
  }

  private static VmState active(int lcmState) {
    if (LIVE.contains(lcmState)) {
      return VmState.RUNNING;
    }
    if (STARTING.contains(lcmState)) {
      return VmState.PENDING;
    }
    if (ENDING.contains(lcmState)) {
      return VmState.TERMINATING;
    }
    if (OFF.contains(lcmState)) {
      return VmState.STOPPED;
    }
    return VmState.FAILED;
  }
}
