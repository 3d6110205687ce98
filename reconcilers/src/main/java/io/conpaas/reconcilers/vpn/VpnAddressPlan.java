package io.conpaas.reconcilers.vpn;

/**
 * ConPaaS's IPOP address plan (manual section 1.1.4), pure: every application gets the whole
 * block base/cidr; the block splits into 2^serviceBits service sub-blocks, each holding
 * 2^(32 - cidr - serviceBits) - 1 agents (host index 0 is the sub-block's own address).
 */
public record VpnAddressPlan(long base, int cidr, int serviceBits) {

  public int hostBits() {
    return 32 - cidr - serviceBits;
  }

  /** services_per_application = 2^serviceBits. */
  public long servicesPerApplication() {
    return 1L << serviceBits;
  }

  /** agents_per_service = 2^(32 - cidr - serviceBits) - 1. */
  public long agentsPerService() {
    return (1L << hostBits()) - 1;
  }

  /** The application's network, e.g. 172.16.0.0/12. */
  public String network() {
    return Ipv4.format(base) + "/" + cidr;
  }

  /** The sub-block of a service index, e.g. 172.16.128.0/17 for index 1 of the defaults. */
  public String serviceSubnet(int serviceIndex) {
    checkService(serviceIndex);
    return Ipv4.format(base + ((long) serviceIndex << hostBits())) + "/" + (cidr + serviceBits);
  }

  /** The address of host index (1..agentsPerService) in the sub-block of a service index. */
  public String hostAddress(int serviceIndex, int hostIndex) {
    checkService(serviceIndex);
    if (hostIndex < 1 || hostIndex > agentsPerService()) {
      throw new IllegalArgumentException("host index " + hostIndex + " outside 1.." + agentsPerService());
    }
    return Ipv4.format(base + ((long) serviceIndex << hostBits()) + hostIndex);
  }

  private void checkService(int serviceIndex) {
    if (serviceIndex < 0 || serviceIndex >= servicesPerApplication()) {
      throw new IllegalArgumentException("service index " + serviceIndex + " outside 0.." + (servicesPerApplication() - 1));
    }
  }
}
