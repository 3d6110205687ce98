package io.conpaas.reconcilers.code;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which destinations a user-named fetch may reach, decided on the resolved addresses. */
class DestinationGuardTest {
  private static final DestinationGuard.Resolver SYSTEM = InetAddress::getAllByName;

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.1.2.3", "169.254.169.254", "10.1.2.3", "172.16.0.1", "172.31.255.255",
      "192.168.0.10", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255",
      "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
      // IPv4 inside IPv6: mapped (which the JDK turns into IPv4), compatible, NAT64 and 6to4.
      "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
      // Other spellings the JDK resolver reads as an address: whatever it reads is what is checked.
      "2130706433", "127.1", "[::1]"})
  void refusesNonPublicAddressesInAnySpelling(String host) {
    DestinationGuard guard = new DestinationGuard(List.of(), SYSTEM);
    assertThatThrownBy(() -> guard.check(host)).isInstanceOf(DestinationGuard.Refused.class)
        .hasMessageContaining("code.sourceAllowedNetworks");
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "::ffff:8.8.8.8"})
  void acceptsPublicAddresses(String host) throws Exception {
    assertThat(new DestinationGuard(List.of(), SYSTEM).check(host).address())
        .isEqualTo(InetAddress.getByName(host.replace("[", "").replace("]", "")));
  }

  @Test
  void namesTheKindOfAddressRefused() {
    DestinationGuard guard = new DestinationGuard(List.of(), SYSTEM);
    assertThatThrownBy(() -> guard.check("169.254.169.254")).hasMessageContaining("link-local");
    assertThatThrownBy(() -> guard.check("127.0.0.1")).hasMessageContaining("loopback");
    assertThatThrownBy(() -> guard.check("10.0.0.1")).hasMessageContaining("private");
  }

  @Test
  void aNameIsCheckedByEveryAddressItResolvesTo() throws Exception {
    DestinationGuard guard = new DestinationGuard(List.of(), fake(Map.of(
        "public.example", List.of("93.184.216.34"),
        "mixed.example", List.of("93.184.216.34", "10.0.0.5"),
        "metadata.example", List.of("169.254.169.254"))));
    assertThat(guard.check("public.example").address().getHostAddress()).isEqualTo("93.184.216.34");
    assertThatThrownBy(() -> guard.check("mixed.example")).hasMessageContaining("10.0.0.5");
    assertThatThrownBy(() -> guard.check("metadata.example")).hasMessageContaining("169.254.169.254");
    assertThatThrownBy(() -> guard.check("nowhere.example")).hasMessageContaining("does not resolve");
  }

  @Test
  void theAllowListOpensNetworksAndHosts() throws Exception {
    DestinationGuard guard = new DestinationGuard(List.of("10.96.0.0/12", "fd00::/8", "127.0.0.1", "git.internal"),
        fake(Map.of("git.internal", List.of("192.168.5.5"), "other.internal", List.of("192.168.5.6"))));
    assertThat(guard.check("10.100.1.1").address().getHostAddress()).isEqualTo("10.100.1.1");
    assertThat(guard.check("fd00::5").address()).isEqualTo(InetAddress.getByName("fd00::5"));
    assertThat(guard.check("127.0.0.1")).isNotNull();
    assertThat(guard.check("git.internal").address().getHostAddress()).isEqualTo("192.168.5.5");
    assertThatThrownBy(() -> guard.check("127.0.0.2")).isInstanceOf(DestinationGuard.Refused.class);
    assertThatThrownBy(() -> guard.check("10.95.0.1")).isInstanceOf(DestinationGuard.Refused.class);
    assertThatThrownBy(() -> guard.check("other.internal")).isInstanceOf(DestinationGuard.Refused.class);
  }

  @Test
  void badAllowListEntriesFailAtStartUp() {
    assertThatThrownBy(() -> SourceFetchSettings.defaults().withAllowedNetworks(List.of("10.0.0.0/40")))
        .hasMessageContaining("10.0.0.0/40");
  }

  @Test
  void gitUrlsMustBeHttp() {
    for (String url : List.of("file:///etc", "ext::sh -c touch% /tmp/x", "ssh://host/repo", "git://host/repo",
        "host:repo.git", "/srv/repo.git", "https://user:pw@host/repo")) {
      assertThatThrownBy(() -> SourceFetch.gitUrl(url)).as(url).isInstanceOf(DestinationGuard.Refused.class);
    }
  }

  private static DestinationGuard.Resolver fake(Map<String, List<String>> names) {
    return host -> {
      List<String> addresses = names.get(host);
      if (addresses == null) {
        if (Cidr.looksLikeAddress(host)) {
          return InetAddress.getAllByName(host);
        }
        throw new UnknownHostException(host);
      }
      InetAddress[] out = new InetAddress[addresses.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = InetAddress.getByName(addresses.get(i));
      }
      return out;
    };
  }
}
