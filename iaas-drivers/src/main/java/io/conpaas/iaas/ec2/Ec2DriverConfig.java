package io.conpaas.iaas.ec2;

import java.net.URI;
import java.util.List;

/**
 * What the EC2 driver needs to know about one Cloud: where to call, what to launch, and with
 * which credentials. Blank optional strings count as absent; toString never prints credentials.
 *
 * @param endpointOverride the EC2 endpoint (moto, a private region), null for AWS's own
 * @param agentPort the port agents listen on, used when a VM carries no agent-endpoint tag
 * @param pageSize DescribeInstances page size for list (EC2 accepts 5 to 1000)
 */
public record Ec2DriverConfig(String region, URI endpointOverride, String imageId,
    String defaultInstanceType, List<String> securityGroupIds, String subnetId, String keyName,
    String accessKeyId, String secretAccessKey, int agentPort, int pageSize) {

  public static final int DEFAULT_AGENT_PORT = 5555;
  public static final int DEFAULT_PAGE_SIZE = 1000;

  public Ec2DriverConfig {
    region = required(region, "region");
    imageId = required(imageId, "imageId");
    defaultInstanceType = required(defaultInstanceType, "defaultInstanceType");
    securityGroupIds = securityGroupIds == null ? List.of()
        : securityGroupIds.stream().filter(s -> s != null && !s.isBlank()).toList();
    subnetId = blankToNull(subnetId);
    keyName = blankToNull(keyName);
    if (agentPort < 1 || agentPort > 65535) {
      throw new IllegalArgumentException("agentPort must be 1..65535, not " + agentPort);
    }
    if (pageSize < 5 || pageSize > 1000) {
      throw new IllegalArgumentException("pageSize must be 5..1000 (EC2's MaxResults range), not " + pageSize);
    }
  }

  /** The usual configuration: the full DescribeInstances page size. */
  public Ec2DriverConfig(String region, URI endpointOverride, String imageId,
      String defaultInstanceType, List<String> securityGroupIds, String subnetId, String keyName,
      String accessKeyId, String secretAccessKey, int agentPort) {
    this(region, endpointOverride, imageId, defaultInstanceType, securityGroupIds, subnetId,
        keyName, accessKeyId, secretAccessKey, agentPort, DEFAULT_PAGE_SIZE);
  }

  /** The same configuration with another DescribeInstances page size. */
  public Ec2DriverConfig withPageSize(int size) {
    return new Ec2DriverConfig(region, endpointOverride, imageId, defaultInstanceType,
        securityGroupIds, subnetId, keyName, accessKeyId, secretAccessKey, agentPort, size);
  }

  /** The same configuration pointed at another endpoint. */
  public Ec2DriverConfig withEndpoint(URI endpoint) {
    return new Ec2DriverConfig(region, endpoint, imageId, defaultInstanceType,
        securityGroupIds, subnetId, keyName, accessKeyId, secretAccessKey, agentPort, pageSize);
  }

  /** The same configuration with other credentials. */
  public Ec2DriverConfig withCredentials(String keyId, String secretKey) {
    return new Ec2DriverConfig(region, endpointOverride, imageId, defaultInstanceType,
        securityGroupIds, subnetId, keyName, keyId, secretKey, agentPort, pageSize);
  }

  @Override
  public String toString() {
    // Credentials live only in Secrets: neither the key id nor the secret goes to logs.
    return "Ec2DriverConfig[region=" + region + ", endpointOverride=" + endpointOverride
        + ", imageId=" + imageId + ", defaultInstanceType=" + defaultInstanceType
        + ", securityGroupIds=" + securityGroupIds + ", subnetId=" + subnetId
        + ", keyName=" + keyName + ", accessKeyId=" + redacted(accessKeyId)
        + ", secretAccessKey=" + redacted(secretAccessKey) + ", agentPort=" + agentPort
        + ", pageSize=" + pageSize + "]";
  }

  private static String redacted(String value) {
    return value == null || value.isEmpty() ? "<unset>" : "<redacted>";
  }

  private static String required(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
    return value;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
