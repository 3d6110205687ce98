package io.conpaas.iaas.qemu;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real VM booted from the agent image for a fake cloud's instance (moto, the OpenNebula contract
 * server): a qcow2 overlay of the image, qemu with the same command line as the qemu Cloud's VMs
 * except for how the document arrives ({@link GuestContextChannel}: no seed disk), and the agent's
 * port forwarded from 127.0.0.1. So the EC2 and OpenNebula paths boot the same image through the
 * image's own boot helper. Closing it kills qemu, stops the channel and deletes the directory.
 */
public final class ImageGuest implements AutoCloseable {
  private static final Duration OVERLAY_TIMEOUT = Duration.ofSeconds(60);
  private final Path dir;
  private final Process qemu;
  private final int port;
  private final GuestContextChannel channel;

  private ImageGuest(Path dir, Process qemu, int port, GuestContextChannel channel) {
    this.dir = dir;
    this.qemu = qemu;
    this.port = port;
    this.channel = channel;
  }

  /** Boots image (qcow2) in dir (created) as instance name, the document coming through channel. */
  public static ImageGuest boot(Path image, Path dir, String name, int agentPort, int memoryMb,
      GuestContextChannel channel) {
    try {
      Files.createDirectories(dir);
      Path overlay = dir.resolve("overlay.qcow2");
      BoundedRun.Result r = BoundedRun.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b",
          image.toAbsolutePath().toString(), overlay.toString()), OVERLAY_TIMEOUT, null);
      if (!r.ok()) {
        throw new IllegalStateException("qemu-img create: " + r.output());
      }
      int port = freeLoopbackPort();
      QemuConfig config = new QemuConfig(image, memoryMb, 1, QemuConfig.USER_NETWORK, dir, "qemu-system-x86_64",
          "qemu-img", agentPort, QemuConfig.AUTO);
      List<String> cmd = new ArrayList<>(List.of("/usr/bin/setsid"));
      cmd.addAll(QemuCommand.of(config, QemuAccelerator.forBinary(config.qemu()), name, overlay, channel.devices(),
          channel.networkOptions(), dir.resolve("console.log"), port));
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("qemu.log").toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      return new ImageGuest(dir, p, port, channel);
    } catch (IOException e) {
      channel.close();
      throw new UncheckedIOException(e);
    }
  }

  /** Where the operator reaches the agent inside: 127.0.0.1:&lt;forwarded port&gt;. */
  public String agentEndpoint() {
    return "127.0.0.1:" + port;
  }

  public boolean alive() {
    return qemu.isAlive();
  }

  /** The guest's serial console so far (boot helper and agent lines). */
  public String console() {
    try {
      return Files.readString(dir.resolve("console.log"), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }

  public GuestContextChannel channel() {
    return channel;
  }

  @Override
  public void close() {
    // setsid execs qemu in place: the process is qemu itself.
    qemu.destroyForcibly();
    try {
      qemu.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.close();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Already gone.
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
