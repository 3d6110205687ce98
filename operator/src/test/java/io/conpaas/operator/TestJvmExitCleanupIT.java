package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.iaas.VmRequest;
import io.conpaas.iaas.VmTags;
import io.conpaas.iaas.local.AgentLauncher;
import io.conpaas.iaas.local.LocalDriver;
import io.conpaas.iaas.local.LocalIsolation;
import io.conpaas.iaas.local.LocalNetworkSettings;
import io.conpaas.operator.testing.NetnsProbe;
import io.conpaas.operator.testing.TestOperator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test JVM that is stopped mid-test (SIGTERM, as when a CI run is killed) leaves nothing of its
 * isolated local VMs behind: its exit hook kills the agent, the echo probe the test started in the
 * agent's network namespace and wireguard-go-like helpers there, and deletes the agent's namespace
 * and the Cloud's bridge namespace. A child JVM plays the test (root only: namespaces).
 */
class TestJvmExitCleanupIT {
  @TempDir
  Path workDir;

  @Test
  void aStoppedTestJvmLeavesNoNamespaceNorProbe() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(LocalIsolation.runningAsRoot(), "network namespaces need root");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path log = workDir.resolve("child.log");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        Child.class.getName(), workDir.resolve("cloud").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      String ready = null;
      while (ready == null && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
        ready = Files.readAllLines(log).stream().filter(l -> l.startsWith("ready ")).findFirst().orElse(null);
      }
      assertThat(ready).as(Files.readString(log)).isNotNull();
      String[] f = ready.split(" ");
      String netns = NetnsProbe.namespaceOf(f[1]);
      long agentPid = Long.parseLong(f[2]);
      assertThat(NetnsProbe.namespaces()).contains(netns);
      List<Long> inNamespace = pids(netns);
      assertThat(inNamespace).contains(agentPid).hasSizeGreaterThanOrEqualTo(2);  // the agent and the probe
      assertThat(NetnsProbe.run(List.of("ip", "-o", "link", "show"), 5)).contains("cpu" + f[3]);

      child.destroy();  // SIGTERM: the JVM runs its shutdown hooks
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

      String out = Files.readString(log);
      assertThat(NetnsProbe.namespaces()).as(out).doesNotContain(netns)
          .noneMatch(n -> n.startsWith("cpu-") && n.substring(4).equals(f[3]));
      assertThat(inNamespace).as("processes of the agent's namespace").noneMatch(pid -> ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive).isPresent());
      assertThat(NetnsProbe.run(List.of("ip", "-o", "link", "show"), 5)).doesNotContain("cpu" + f[3]);
    } finally {
      child.destroyForcibly();
    }
  }

  private static List<Long> pids(String netns) {
    return NetnsProbe.run(List.of("ip", "netns", "pids", netns), 5).lines().map(String::strip)
        .filter(l -> l.matches("\\d+")).map(Long::parseLong).toList();
  }

  /** The stopped test: an isolated local VM (a stand-in agent) with an echo probe in its namespace. */
  public static final class Child {
    private static final String AGENT = """
        import os, socket, time
        s = socket.socket(); s.bind((os.environ['CONPAAS_AGENT_BIND'], 0)); s.listen(1)
        open(os.environ['CONPAAS_AGENT_PORT_FILE'], 'w').write(str(s.getsockname()[1]))
        time.sleep(3600)
        """;

    public static void main(String[] args) throws Exception {
      Path cloudDir = Path.of(args[0]);
      TestOperator.trackWorkDir(cloudDir);
      AgentLauncher standIn = contextFile -> List.of("python3", "-c", AGENT, contextFile.toString());
      LocalDriver driver = new LocalDriver(cloudDir, standIn, new LocalIsolation(false, false),
          new LocalNetworkSettings(true, null));
      var vm = driver.create(new VmRequest("exit-test", "exit-test", Map.of(VmTags.CLUSTER, "exit-test",
          VmTags.AGENT, "exit-test"), null, "{}".getBytes(StandardCharsets.UTF_8)));
      String netns = NetnsProbe.namespaceOf(vm.instanceId());
      NetnsProbe probe = new NetnsProbe();
      probe.serve(netns, "0.0.0.0", 7007, "probe");
      long agentPid = Long.parseLong(Files.readString(cloudDir.resolve(vm.instanceId()).resolve("pid")).strip());
      String underlayId = veth(cloudDir).substring(3);
      for (int i = 0; i < 100 && NetnsProbe.run(List.of("ip", "netns", "pids", netns), 5).lines().count() < 2; i++) {
        Thread.sleep(50);
      }
      System.out.println("ready " + vm.instanceId() + " " + agentPid + " " + underlayId);
      System.out.flush();
      Thread.sleep(600_000);
    }

    /** The host's veth into the Cloud's bridge namespace: cpu + 10 hex of the Cloud dir's hash. */
    private static String veth(Path cloudDir) throws Exception {
      byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(
          cloudDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
      return "cpu" + java.util.HexFormat.of().formatHex(h, 0, 5);
    }
  }
}
