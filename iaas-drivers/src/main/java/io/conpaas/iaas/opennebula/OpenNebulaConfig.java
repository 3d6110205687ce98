package io.conpaas.iaas.opennebula;

import java.net.URI;
import java.time.Duration;

/**
 * Settings of one OpenNebula cloud: its XML-RPC endpoint, the account (the password never shows
 * in toString), and what new VMs get. With a templateId, VMs are instantiated from that template
 * and cpu/memoryMb/networkId/imageId override its CPU/MEMORY/NIC/DISK when set; without one they
 * are allocated from a template the driver writes (cpu and memoryMb then default to 1 and 1024).
 */
public record OpenNebulaConfig(URI endpoint, String username, String password, Integer templateId,
    Integer networkId, Integer imageId, Double cpu, Integer memoryMb, int agentPort, Duration requestTimeout) {

  public static final int DEFAULT_AGENT_PORT = 5555;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  public OpenNebulaConfig {
    if (endpoint == null) {
      throw new IllegalArgumentException("endpoint is required");
    }
    if (username == null || username.isBlank() || username.indexOf(':') >= 0) {
      // OpenNebula splits the session string at the first colon.
      throw new IllegalArgumentException("username is required and cannot contain ':'");
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("password is required");
    }
    if (agentPort < 1 || agentPort > 65535) {
      throw new IllegalArgumentException("agentPort must be 1..65535: " + agentPort);
    }
    if (cpu != null && !(cpu > 0)) {
      throw new IllegalArgumentException("cpu must be positive: " + cpu);
    }
    if (memoryMb != null && memoryMb < 1) {
      throw new IllegalArgumentException("memoryMb must be positive: " + memoryMb);
    }
    for (Integer id : new Integer[] {templateId, networkId, imageId}) {
      if (id != null && id < 0) {
        throw new IllegalArgumentException("OpenNebula ids are not negative: " + id);
      }
    }
    if (requestTimeout == null) {
      requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    } else if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive");
    }
  }

  /** An account on an endpoint, no template, 1 CPU, 1024 MiB, the default agent port. */
  public static OpenNebulaConfig of(URI endpoint, String username, String password) {
    return new OpenNebulaConfig(endpoint, username, password, null, null, null, null, null, DEFAULT_AGENT_PORT,
        DEFAULT_REQUEST_TIMEOUT);
  }

  public OpenNebulaConfig withTemplateId(Integer id) {
    return new OpenNebulaConfig(endpoint, username, password, id, networkId, imageId, cpu, memoryMb, agentPort,
        requestTimeout);
  }

  public OpenNebulaConfig withNetworkId(Integer id) {
    return new OpenNebulaConfig(endpoint, username, password, templateId, id, imageId, cpu, memoryMb, agentPort,
        requestTimeout);
  }

  public OpenNebulaConfig withImageId(Integer id) {
    return new OpenNebulaConfig(endpoint, username, password, templateId, networkId, id, cpu, memoryMb, agentPort,
        requestTimeout);
  }

  public OpenNebulaConfig withSize(Double newCpu, Integer newMemoryMb) {
    return new OpenNebulaConfig(endpoint, username, password, templateId, networkId, imageId, newCpu, newMemoryMb,
        agentPort, requestTimeout);
  }

  public OpenNebulaConfig withAgentPort(int port) {
    return new OpenNebulaConfig(endpoint, username, password, templateId, networkId, imageId, cpu, memoryMb, port,
        requestTimeout);
  }

  public OpenNebulaConfig withRequestTimeout(Duration timeout) {
    return new OpenNebulaConfig(endpoint, username, password, templateId, networkId, imageId, cpu, memoryMb,
        agentPort, timeout);
  }

  public OpenNebulaConfig withPassword(String newPassword) {
    return new OpenNebulaConfig(endpoint, username, newPassword, templateId, networkId, imageId, cpu, memoryMb,
        agentPort, requestTimeout);
  }

  /** The session string every call starts with. Never log it. */
  String session() {
    return username + ":" + password;
  }

  @Override
  public String toString() {
    return "OpenNebulaConfig[endpoint=" + OneXmlRpcClient.redact(endpoint) + ", username=" + username
        + ", password=***, templateId=" + templateId + ", networkId=" + networkId + ", imageId=" + imageId
        + ", cpu=" + cpu + ", memoryMb=" + memoryMb + ", agentPort=" + agentPort + ", requestTimeout="
        + requestTimeout + "]";
  }
}
