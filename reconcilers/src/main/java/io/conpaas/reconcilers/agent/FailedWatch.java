package io.conpaas.reconcilers.agent;

import io.conpaas.api.v1alpha1.Agent;
import io.conpaas.api.v1alpha1.AgentPhase;
import io.conpaas.api.v1alpha1.AgentStatus;
import io.conpaas.api.v1alpha1.Cloud;
import io.conpaas.api.v1alpha1.ConditionTypes;
import io.conpaas.iaas.VmObservation;
import io.conpaas.iaas.VmState;
import io.conpaas.reconcilers.cloud.CloudInventory;
import io.conpaas.reconcilers.model.AgentReasons;
import io.conpaas.reconcilers.model.Conditions;
import io.conpaas.reconcilers.telemetry.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The Failed step. A failed Agent starts over when its spec changes, except a stateful one whose
 * VM was lost (an empty VM would hide the loss): that one is watched instead, and comes back if
 * its VM runs and answers again (an EC2 instance started again, an OpenNebula monitoring blip).
 */
final class FailedWatch {
  /** How often a lost stateful VM is looked for in the Cloud's (shared) inventory. */
  static final Duration LOST_POLL = Duration.ofSeconds(15);

  private final CloudInventory inventory;
  private final RoleSync roles;
  private final EventRecorder events;
  private final AgentStatusWriter status;

  FailedWatch(CloudInventory inventory, RoleSync roles, EventRecorder events, AgentStatusWriter status) {
    this.inventory = inventory;
    this.roles = roles;
    this.events = events;
    this.status = status;
  }

  /** Empty when the Agent should go on as Configuring (its lost VM answers again). */
  Optional<UpdateControl<Agent>> watch(Agent agent, Cloud cloud) {
    AgentStatus st = agent.getStatus();
    if (Conditions.hasReason(st.getConditions(), ConditionTypes.DEGRADED, AgentReasons.STATEFUL_VM_LOST)) {
      Optional<VmObservation> vm = st.getInstanceId() == null ? Optional.empty()
          : inventory.find(cloud, st.getInstanceId());
      if (vm.isPresent() && vm.get().state() == VmState.RUNNING && vm.get().agentEndpoint() != null
          && roles.healthy(agent, vm.get().agentEndpoint())) {
        events.normal(agent, "StatefulVmBack", "VM " + st.getInstanceId() + " runs and its agent answers again");
        st.setAgentEndpoint(vm.get().agentEndpoint());
        st.setPhase(AgentPhase.Configuring);
        return Optional.empty();
      }
      // Not retried by a spec change either: only deleting the Agent starts afresh.
      return Optional.of(UpdateControl.<Agent>noUpdate().rescheduleAfter(LOST_POLL));
    }
    if (Objects.equals(st.getObservedGeneration(), agent.getMetadata().getGeneration())) {
      return Optional.of(UpdateControl.noUpdate());
    }
    st.setAttempts(0);
    st.setPhase(AgentPhase.Pending);
    return Optional.of(status.progress(agent, "Retrying", "spec changed; retrying", AgentReconciler.NOW));
  }
}
