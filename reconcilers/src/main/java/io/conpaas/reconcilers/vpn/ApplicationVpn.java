package io.conpaas.reconcilers.vpn;

import io.conpaas.api.v1alpha1.Application;
import io.conpaas.api.v1alpha1.ApplicationStatus;
import io.conpaas.api.v1alpha1.ApplicationVpnStatus;
import io.conpaas.api.v1alpha1.ServiceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives each service of a vpn.enabled application its service index, pure: the record is the
 * Application's status (services[].vpnServiceIndex), so indexes survive operator restarts; a
 * service keeps its index while it is listed, and a gone service's index is free again.
 */
public final class ApplicationVpn {
  private ApplicationVpn() {}

  /** A service as the allocator sees it: its key and when it was created (the older wins a full block). */
  public record Member(ServiceRef ref, String createdAt) {}

  /**
   * The services with their indexes and subnets (none when the VPN is off; none for those that
   * found the block full), and the application's network (null when off).
   */
  public static ApplicationVpnStatus assign(Application app, List<Member> members, VpnAddressPlan plan) {
    if (!ServiceVpn.enabled(app)) {
      members.forEach(m -> {
        m.ref().setVpnServiceIndex(null);
        m.ref().setVpnSubnet(null);
      });
      return null;
    }
    Map<String, Integer> held = new HashMap<>();
    ApplicationStatus previous = app.getStatus();
    if (previous != null) {
      for (ServiceRef r : previous.getServices()) {
        if (r.getVpnServiceIndex() != null) {
          held.put(key(r), r.getVpnServiceIndex());
        }
      }
    }
    List<Member> oldestFirst = new ArrayList<>(members);
    oldestFirst.sort(java.util.Comparator.comparing((Member m) -> m.createdAt() == null ? "" : m.createdAt())
        .thenComparing(m -> key(m.ref())));
    Map<String, Integer> index = IndexAllocator.assign(oldestFirst.stream().map(m -> key(m.ref())).toList(), held, 0,
        plan.servicesPerApplication() - 1);
    for (Member m : members) {
      Integer i = index.get(key(m.ref()));
      m.ref().setVpnServiceIndex(i);
      m.ref().setVpnSubnet(i == null ? null : plan.serviceSubnet(i));
    }
    return new ApplicationVpnStatus(plan.network());
  }

  private static String key(ServiceRef r) {
    return r.getKind() + "/" + r.getName();
  }
}
