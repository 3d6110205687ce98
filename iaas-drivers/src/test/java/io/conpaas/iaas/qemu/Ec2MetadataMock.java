package io.conpaas.iaas.qemu;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One instance's EC2 metadata service: AWS's amazon-ec2-metadata-mock (built by
 * hack/ec2-metadata-mock.sh) in IMDSv2-only mode, serving that instance's id and exactly the user
 * data EC2 stores for it, on a loopback port. The guest reaches it at 169.254.169.254:80 through a
 * qemu user-network guest forward (a socat per connection to the loopback port): the VM's network is
 * 169.254.0.0/16, so the metadata address is on its link, as the guest forward requires, and no
 * packet leaves qemu for an address outside it.
 */
public final class Ec2MetadataMock implements GuestContextChannel {
  private static final Duration START = Duration.ofSeconds(20);
  private final Process process;
  private final int port;
  private final Path log;

  private Ec2MetadataMock(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the mock for instanceId with userDataBase64 (as DescribeInstanceAttribute returns it)
   * in dir; binary is the path hack/ec2-metadata-mock.sh printed.
   */
  public static Ec2MetadataMock start(Path binary, Path dir, String instanceId, String userDataBase64) {
    try {
      Files.createDirectories(dir);
      Path config = dir.resolve("aemm-config.json");
      // Only what differs from the mock's defaults: this instance's id and its user data (base64).
      Files.writeString(config, "{\"metadata\":{\"values\":{\"instance-id\":\"" + json(instanceId) + "\"}},"
          + "\"userdata\":{\"values\":{\"userdata\":\"" + json(userDataBase64) + "\"}}}");
      int port = freeLoopbackPort();
      Path log = dir.resolve("aemm.log");
      Process p = new ProcessBuilder(binary.toString(), "--config-file", config.toString(), "--imdsv2",
          "--hostname", "127.0.0.1", "--port", Integer.toString(port))
          .directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
      Ec2MetadataMock mock = new Ec2MetadataMock(p, port, log);
      mock.awaitListening();
      return mock;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs hack/ec2-metadata-mock.sh of the repository at root (builds once, then cached) and returns the binary. */
  public static Path build(Path repoRoot) {
    BoundedRun.Result r = BoundedRun.run(List.of("bash", repoRoot.resolve("hack/ec2-metadata-mock.sh").toString()),
        Duration.ofMinutes(10), null);
    if (!r.ok()) {
      throw new IllegalStateException("hack/ec2-metadata-mock.sh failed: " + r.output());
    }
    List<String> lines = r.output().lines().filter(l -> l.startsWith("/")).toList();
    return Path.of(lines.get(lines.size() - 1).trim());
  }

  private void awaitListening() {
    Instant deadline = Instant.now().plus(START);
    while (Instant.now().isBefore(deadline) && process.isAlive()) {
      try (Socket s = new Socket()) {
        s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    close();
    throw new IllegalStateException("the metadata mock did not listen on 127.0.0.1:" + port + ": " + log());
  }

  public int port() {
    return port;
  }

  /** What the mock logged (it names every path the guest asked for). */
  public String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public List<String> devices() {
    return List.of();
  }

  @Override
  public String networkOptions() {
    return ",net=169.254.0.0/16,guestfwd=tcp:169.254.169.254:80-cmd:socat - TCP:127.0.0.1:" + port;
  }

  @Override
  public String describe() {
    return "IMDSv2 (amazon-ec2-metadata-mock) on 127.0.0.1:" + port + " as 169.254.169.254:80";
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
