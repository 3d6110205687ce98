package io.conpaas.iaas;

import java.util.Map;

/**
 * Up to {@code count} identical VMs started together under one idempotency token, with one
 * contextualization document for all of them: which VM serves which Agent is decided by the
 * caller after launch (by {@link VmTags#LAUNCH_INDEX}). Every VM carries {@link VmTags#LAUNCH_BATCH}.
 */
public record BatchRequest(String batchToken, int count, String name, Map<String, String> tags,
    String instanceType, byte[] contextualization) {

  public BatchRequest {
    if (batchToken == null || batchToken.isBlank()) {
      throw new IllegalArgumentException("batchToken is required");
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1");
    }
    tags = Map.copyOf(tags);
  }

  /** The client token of the index-th VM on clouds that start VMs one by one. */
  public String slotToken(int index) {
    return batchToken + "-" + index;
  }

  @Override
  public String toString() {
    // The contextualization carries the batch's bootstrap token: never print it.
    return "BatchRequest[token=" + batchToken + ", count=" + count + ", name=" + name + ", tags=" + tags + "]";
  }
}
