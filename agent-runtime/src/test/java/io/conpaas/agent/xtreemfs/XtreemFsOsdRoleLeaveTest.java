package io.conpaas.agent.xtreemfs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * POST /leave answers at once even while the role's lock is held (configure, or finishLeaving
 * waiting up to 10 s for the volume server to stop): an unanswered leave call looked like a dead
 * agent to the operator, which then released an OSD still holding data.
 */
class XtreemFsOsdRoleLeaveTest {
  @Test
  void leaveDoesNotWaitForTheRolesLock() throws Exception {
    XtreemFsOsdRole role = new XtreemFsOsdRole();
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Thread holder = new Thread(() -> {
      synchronized (role) {
        locked.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    holder.start();
    assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();
    try {
      CompletableFuture<Void> leave = CompletableFuture.runAsync(role::leave);
      leave.get(2, TimeUnit.SECONDS);
      // Never configured: nothing to move, so it has left.
      assertThat(role.hasLeft()).isTrue();
    } finally {
      release.countDown();
      holder.join(5000);
    }
  }
}
