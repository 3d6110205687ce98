package io.conpaas.operator.rig;

import io.conpaas.agent.api.AgentContext;
import io.conpaas.iaas.qemu.GuestContextChannel;
import io.conpaas.iaas.qemu.ImageGuest;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Boots each instance as a real VM from the agent image under qemu ({@link ImageGuest}), its
 * document arriving the way the fake cloud's real counterpart delivers it (the channel: an IMDSv2
 * service for EC2, a context CD-ROM for OpenNebula). The agent inside comes up through the image's
 * own boot helper; the rig only forwards its port to loopback.
 */
public final class ImageBooter implements InstanceBooter {
  private final Path image;
  private final Path workDir;
  private final BiFunction<FakeCloud.Instance, Path, GuestContextChannel> channels;
  private final Map<String, ImageGuest> guests = new ConcurrentHashMap<>();

  /** channels makes the instance's channel in the VM's directory (the second argument). */
  public ImageBooter(Path image, Path workDir, BiFunction<FakeCloud.Instance, Path, GuestContextChannel> channels) {
    this.image = image;
    this.workDir = workDir;
    this.channels = channels;
  }

  @Override
  public void boot(FakeCloud.Instance instance) {
    guests.computeIfAbsent(instance.id(), id -> {
      Path dir = workDir.resolve("vm-" + id);
      return ImageGuest.boot(image, dir, "rig-" + id, AgentContext.DEFAULT_PORT, 512, channels.apply(instance, dir));
    });
  }

  /** The forwarded port is known at once; the operator retries until the agent answers on it. */
  @Override
  public Map<String, String> endpoints() {
    Map<String, String> result = new HashMap<>();
    guests.forEach((id, g) -> result.put(id, g.agentEndpoint()));
    return result;
  }

  /** The instance's VM (console, channel), if booted. */
  public Optional<ImageGuest> guest(String instanceId) {
    return Optional.ofNullable(guests.get(instanceId));
  }

  @Override
  public void kill(String instanceId) {
    ImageGuest g = guests.remove(instanceId);
    if (g != null) {
      g.close();
    }
  }

  @Override
  public Set<String> booted() {
    return Set.copyOf(guests.keySet());
  }

  @Override
  public void close() {
    guests.keySet().forEach(this::kill);
  }
}
