package io.conpaas.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.conpaas.reconcilers.vpn.VpnSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The vpn.* settings: defaults, file and environment, and a bad netmask refusing start in one line. */
class VpnSettingsStartTest {

  @Test
  void defaultsAreConpaassAndTheEnvironmentOverrides() {
    VpnSettings d = new OperatorConfig(new Properties(), Map.of()).settings(() -> "k8s-x").vpn();
    assertThat(d).isEqualTo(new VpnSettings("172.16.0.0", "255.240.0.0", 5, List.of()));
    Properties file = new Properties();
    file.setProperty("vpn.serviceBits", "3");
    VpnSettings s = new OperatorConfig(file, Map.of("CONPAAS_VPN_BASE_NETWORK", "10.0.0.0",
        "CONPAAS_VPN_NETMASK", "255.0.0.0", "CONPAAS_VPN_BOOTSTRAP_NODES",
        "udp://192.168.35.2:40000, tcp://192.168.122.1:40000\ntcp://172.16.98.5:40001")).vpn();
    assertThat(s.plan().network()).isEqualTo("10.0.0.0/8");
    assertThat(s.serviceBits()).isEqualTo(3);
    assertThat(s.bootstrapNodes()).containsExactly("udp://192.168.35.2:40000", "tcp://192.168.122.1:40000",
        "tcp://172.16.98.5:40001");
  }

  @Test
  void aBadNetmaskRefusesStartWithOneLineNamingTheSetting() throws Exception {
    // The real main in a JVM of its own: no API server is needed to refuse.
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        OperatorMain.class.getName()).redirectErrorStream(true);
    pb.environment().remove("CONPAAS_CONFIG");
    pb.environment().put("CONPAAS_CLUSTER_ID", "vpn-start-test");
    pb.environment().put("CONPAAS_VPN_NETMASK", "255.0.255.0");
    pb.environment().put("KUBECONFIG", "/nonexistent/kubeconfig");
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    List<String> lines = out.lines().filter(l -> l.contains("cannot start:")).toList();
    assertThat(lines).as(out).hasSize(1);
    assertThat(lines.get(0)).contains("vpn.netmask").contains("255.0.255.0");
    assertThat(out).doesNotContain("\tat ");
  }
}
