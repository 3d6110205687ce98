package io.conpaas.reconcilers.vpn;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VPN block must not overlap a network the agents or the cluster already use (a route to the
 * block would shadow it): the cluster's Service CIDRs, Pod CIDRs and node addresses, and each
 * Cloud's underlay where its driver knows it. The comparison is pure; reading the cluster is bounded.
 */
public final class VpnNetworks {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VpnNetworks.class);
  private static final long MAX_ITEMS = 1000;
  /** The Cloud Ready=False reason of a Cloud whose network overlaps the VPN block. */
  public static final String OVERLAP_REASON = "VpnNetworkOverlap";

  private VpnNetworks() {}

  /** A network in use: its CIDR (a.b.c.d/n; an address is /32) and what uses it. */
  public record InUse(String cidr, String what) {}

  /** The first network the settings' block overlaps, as one line naming the settings; empty when none. */
  public static Optional<String> overlap(VpnSettings vpn, List<InUse> networks) {
    long base = Ipv4.parse(vpn.baseNetwork());
    int cidr = Ipv4.prefixLength(vpn.netmask());
    for (InUse n : networks) {
      long[] other;
      try {
        other = parseCidr(n.cidr());
      } catch (IllegalArgumentException e) {
        continue; // IPv6 or not a network: cannot overlap an IPv4 block
      }
      int shorter = (int) Math.min(cidr, other[1]);
      long mask = Ipv4.maskOf(shorter);
      if ((base & mask) == (other[0] & mask)) {
        return Optional.of("vpn.baseNetwork/vpn.netmask: " + vpn.plan().network() + " overlaps " + n.what() + " "
            + n.cidr() + "; choose a vpn.baseNetwork and vpn.netmask outside it");
      }
    }
    return Optional.empty();
  }

  /** The cluster's networks the API shows: ServiceCIDRs, the kubernetes Service's address, nodes' Pod CIDRs and addresses. */
  public static List<InUse> ofCluster(KubernetesClient client) {
    List<InUse> in = new ArrayList<>();
    var limit = new ListOptionsBuilder().withLimit(MAX_ITEMS).build();
    try {
      for (GenericKubernetesResource r : client.genericKubernetesResources("networking.k8s.io/v1", "ServiceCIDR")
          .list(limit).getItems()) {
        Object spec = r.getAdditionalProperties().get("spec");
        Object cidrs = spec instanceof Map<?, ?> m ? m.get("cidrs") : null;
        if (cidrs instanceof List<?> l) {
          l.forEach(c -> in.add(new InUse(String.valueOf(c), "the cluster's Service CIDR (ServiceCIDR "
              + r.getMetadata().getName() + ")")));
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warn("VPN block not checked against ServiceCIDRs ({}): {}", e.getCode(), e.getStatus() == null ? e.getMessage()
          : e.getStatus().getMessage());
    }
    try {
      for (Node node : client.nodes().list(limit).getItems()) {
        String name = "node " + node.getMetadata().getName();
        List<String> pods = new ArrayList<>();
        if (node.getSpec() != null && node.getSpec().getPodCIDRs() != null) {
          pods.addAll(node.getSpec().getPodCIDRs());
        }
        if (node.getSpec() != null && node.getSpec().getPodCIDR() != null && !pods.contains(node.getSpec().getPodCIDR())) {
          pods.add(node.getSpec().getPodCIDR());
        }
        pods.forEach(c -> in.add(new InUse(c, "the Pod CIDR of " + name)));
        if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
          for (NodeAddress a : node.getStatus().getAddresses()) {
            if (a.getAddress() != null && a.getAddress().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
              in.add(new InUse(a.getAddress() + "/32", "the " + a.getType() + " of " + name));
            }
          }
        }
      }
    } catch (KubernetesClientException e) {
      LOG.warn("VPN block not checked against nodes ({}): {}", e.getCode(), e.getStatus() == null ? e.getMessage()
          : e.getStatus().getMessage());
    }
    return in;
  }

  /** [base, prefix] of a.b.c.d/n or a.b.c.d (a /32). */
  static long[] parseCidr(String text) {
    String t = text.trim();
    int slash = t.indexOf('/');
    long base = Ipv4.parse(slash < 0 ? t : t.substring(0, slash));
    int prefix = slash < 0 ? 32 : Integer.parseInt(t.substring(slash + 1));
    if (prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException(text);
    }
    return new long[] {base & Ipv4.maskOf(prefix), prefix};
  }
}
