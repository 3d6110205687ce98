package io.conpaas.iaas;

import java.util.Map;

/**
 * What to start: an idempotency token, a name, tags, an instance type (null for the cloud's
 * default) and the contextualization document the VM boots with (opaque to the driver).
 */
public record VmRequest(String clientToken, String name, Map<String, String> tags,
    String instanceType, byte[] contextualization) {

  public VmRequest {
    if (clientToken == null || clientToken.isBlank()) {
      throw new IllegalArgumentException("clientToken is required");
    }
    tags = Map.copyOf(tags);
  }

  @Override
  public String toString() {
    // The contextualization carries the agent's private key: never print it.
    return "VmRequest[token=" + clientToken + ", name=" + name + ", tags=" + tags + "]";
  }
}
