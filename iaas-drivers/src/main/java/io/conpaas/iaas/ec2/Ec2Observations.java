package io.conpaas.iaas.ec2;

import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.iaas.VmTags;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceState;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Reduces an EC2 Instance to the VmObservation the operator acts on. */
final class Ec2Observations {
  static final String NAME_TAG = "Name";

  private Ec2Observations() {}

  /** The observation; fallbackTags stand in when the answer carries no tags (RunInstances may not). */
  static VmObservation observe(Instance instance, Map<String, String> fallbackTags, int agentPort) {
    Map<String, String> tags = new LinkedHashMap<>(
        instance.hasTags() && !instance.tags().isEmpty() ? tags(instance) : fallbackTags);
    if (tags.containsKey(VmTags.LAUNCH_BATCH) && instance.amiLaunchIndex() != null) {
      // Not a tag on EC2: the instance's place in its RunInstances call, which binds it to an Agent.
      tags.put(VmTags.LAUNCH_INDEX, Integer.toString(instance.amiLaunchIndex()));
    }
    VmState state = state(instance.state());
    return new VmObservation(instance.instanceId(), tags.get(VmTags.CLIENT_TOKEN), tags.get(NAME_TAG), tags,
        state, instance.publicIpAddress(), instance.privateIpAddress(),
        agentEndpoint(tags, state, instance.publicIpAddress(), instance.privateIpAddress(), agentPort),
        instance.launchTime());
  }

  static Map<String, String> tags(Instance instance) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (Tag tag : instance.tags()) {
      if (tag.key() != null && tag.value() != null) {
        tags.put(tag.key(), tag.value());
      }
    }
    return tags;
  }

  /**
   * EC2's state in the operator's terms. Stopping and stopped are STOPPED: the operator never
   * stops a VM, so someone did it behind its back, but the instance and its volumes are still
   * there and may be started again. Terminated instances never get here.
   */
  static VmState state(InstanceState state) {
    if (state == null || state.name() == null) {
      return VmState.PENDING;
    }
    return switch (state.name()) {
      case RUNNING -> VmState.RUNNING;
      case SHUTTING_DOWN, TERMINATED -> VmState.TERMINATING;
      case STOPPING, STOPPED -> VmState.STOPPED;
      default -> VmState.PENDING;
    };
  }

  /**
   * Where the agent answers: the agent-endpoint tag when something forwards the port, else the
   * public address (the private one without it) and the agent port; null unless running.
   */
  static String agentEndpoint(Map<String, String> tags, VmState state, String publicIp, String privateIp,
      int agentPort) {
    if (state != VmState.RUNNING) {
      return null;
    }
    String tagged = tags.get(VmTags.AGENT_ENDPOINT);
    if (tagged != null && !tagged.isBlank()) {
      return tagged;
    }
    String host = publicIp != null && !publicIp.isBlank() ? publicIp : privateIp;
    return host == null || host.isBlank() ? null : host + ":" + agentPort;
  }
}
