package io.conpaas.operator.rig;

import io.conpaas.iaas.local.AgentLauncher;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Plays the hypervisor for a fake cloud (moto, the OpenNebula contract server): boots each new
 * instance (an agent process from its contextualization, or the agent image under qemu: see
 * {@link InstanceBooter}), reports where its agent listens, and stops it when the instance goes.
 * So a driver test runs the whole path: contextualization → agent boot → mutual-TLS health → RUNNING.
 */
public final class HypervisorRig implements AutoCloseable {
  private final FakeCloud cloud;
  private final InstanceBooter booter;
  private final Set<String> announced = ConcurrentHashMap.newKeySet();
  private final Thread loop;
  private volatile boolean running = true;

  /** Agent processes on this host. */
  public HypervisorRig(FakeCloud cloud, Path workDir, AgentLauncher launcher) {
    this(cloud, new LocalAgentBooter(workDir, launcher));
  }

  public HypervisorRig(FakeCloud cloud, InstanceBooter booter) {
    this.cloud = cloud;
    this.booter = booter;
    this.loop = new Thread(this::run, "hypervisor-rig");
    loop.setDaemon(true);
    loop.start();
  }

  /** Instances whose machine the rig started and has not stopped. */
  public Set<String> bootedInstances() {
    return booter.booted();
  }

  private void run() {
    while (running) {
      try {
        step();
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The fake cloud may be restarting or reset between tests: try again next round.
      }
    }
  }

  private void step() {
    List<FakeCloud.Instance> live = cloud.liveInstances();
    Set<String> liveIds = live.stream().map(FakeCloud.Instance::id).collect(Collectors.toSet());
    for (FakeCloud.Instance instance : live) {
      booter.boot(instance);
    }
    booter.endpoints().forEach((id, endpoint) -> {
      if (!announced.contains(id)) {
        cloud.agentStarted(id, endpoint);
        announced.add(id);
      }
    });
    for (String gone : booter.booted()) {
      if (!liveIds.contains(gone)) {
        booter.kill(gone);
        announced.remove(gone);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    loop.interrupt();
    loop.join(5000);
    booter.close();
  }
}
