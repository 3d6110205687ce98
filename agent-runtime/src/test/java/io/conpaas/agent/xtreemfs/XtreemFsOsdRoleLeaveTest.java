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

  @Test
  void eachLoopbackOsdIsAHostOfItsOwn() {
    // SeaweedFS never puts two replicas of a volume on one host: on 127.0.0.1 a 001 volume could not be evacuated.
    assertThat(XtreemFsOsdRole.host("127.0.0.1", 40153)).isEqualTo("127.1.156.217");
    assertThat(XtreemFsOsdRole.host("127.0.0.1", 40154)).isNotEqualTo(XtreemFsOsdRole.host("127.0.0.1", 40153));
    assertThat(XtreemFsOsdRole.host("10.0.0.7", 40153)).isEqualTo("10.0.0.7");
  }
}
